package io.mutexify.azure.functions.frontface;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.frontface.routes.ApiRoutes;
import io.mutexify.frontface.routes.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The functions' {@code @HttpTrigger} annotations declare exactly the route table's routes, both ways. */
class FunctionRoutesTest {

    @Test
    void everyTableRouteHasItsFunctionAndEveryFunctionIsATableRoute() {
        Map<String, Set<String>> declared = FunctionRoutes.declared(FrontfaceFunctions.class);
        Map<String, Set<String>> expected = FunctionRoutes.expected();
        assertThat(declared.keySet()).as("function routes").containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((route, methods) -> assertThat(declared.get(route)).as(route).isEqualTo(methods));
        assertThat(expected).hasSizeGreaterThan(15);
    }

    /** The comparison is not vacuous: a route the table has and no function does, or a method more, shows. */
    @Test
    void aTableThatDisagreesWithTheAnnotationsIsCaught() {
        Map<String, Set<String>> declared = FunctionRoutes.declared(FrontfaceFunctions.class);
        List<Route> fewer = new ArrayList<>(ApiRoutes.ALL);
        fewer.removeIf(r -> r.template().endsWith("/history"));
        assertThat(FunctionRoutes.expected(fewer)).isNotEqualTo(declared);
        List<Route> more = new ArrayList<>(ApiRoutes.ALL);
        Route breakLock = more.stream().filter(r -> r.template().endsWith("/break")).findFirst().orElseThrow();
        more.add(new Route("DELETE", breakLock.template(), breakLock.kind(), null, breakLock.answer()));
        assertThat(FunctionRoutes.expected(more)).isNotEqualTo(declared);
    }
}
