package io.mutexify.azure.functions.frontface;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.mutexify.frontface.routes.ApiRoutes;
import io.mutexify.frontface.routes.Route;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/** The Functions' HTTP routes as the route table says they must be, and as the annotations declare them. */
final class FunctionRoutes {
    private FunctionRoutes() {
    }

    /**
     * Route template (without its leading {@code /}) → methods, for every route of {@code table} the
     * function app serves: not the feature-gated ones (dev sign-in, metrics: never on in Azure) and not
     * the bare root (no function route can be). HEAD goes with every GET; API routes take OPTIONS for
     * CORS preflights.
     */
    static Map<String, Set<String>> expected(Iterable<Route> table) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (Route r : table) {
            if (r.feature() != null || r.template().equals("/")) {
                continue;
            }
            Set<String> methods = out.computeIfAbsent(r.template().substring(1), t -> new TreeSet<>());
            methods.add(r.method());
            if (r.method().equals("GET")) {
                methods.add("HEAD");
            }
            if (ApiRoutes.isApi(r.template())) {
                methods.add("OPTIONS");
            }
        }
        return out;
    }

    static Map<String, Set<String>> expected() {
        return expected(ApiRoutes.ALL);
    }

    /** Route → methods as the {@code @HttpTrigger} annotations of {@code functions} declare them. */
    static Map<String, Set<String>> declared(Class<?> functions) {
        Map<String, Set<String>> out = new TreeMap<>();
        forEachTrigger(functions, (m, t) -> {
            Set<String> methods = new TreeSet<>();
            for (HttpMethod hm : t.methods()) {
                methods.add(hm.name());
            }
            if (out.put(t.route(), methods) != null) {
                throw new AssertionError("two functions declare " + t.route());
            }
        });
        return out;
    }

    /** The function whose route template matches {@code path} (as the Functions host picks one), or null. */
    static Method serving(String path) {
        Method[] found = {null};
        forEachTrigger(FrontfaceFunctions.class, (m, t) -> {
            if (new Route(null, "/" + t.route(), null, null, null).match(path).isPresent()) {
                found[0] = m;
            }
        });
        return found[0];
    }

    private static void forEachTrigger(Class<?> functions, BiConsumer<Method, HttpTrigger> each) {
        for (Method m : functions.getDeclaredMethods()) {
            if (m.isAnnotationPresent(FunctionName.class)) {
                each.accept(m, m.getParameters()[0].getAnnotation(HttpTrigger.class));
            }
        }
    }
}
