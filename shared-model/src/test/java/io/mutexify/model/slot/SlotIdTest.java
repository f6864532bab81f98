package io.mutexify.model.slot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SlotIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "Z", "0", "ci-env-1", "deploy.prod_eu:01", "...", ".a", "a.", "..a", "-", "_", ":"})
    void acceptsIdsMadeOfTheAllowedCharacters(String id) {
        assertThat(SlotId.isValid(id)).isTrue();
        assertThat(SlotId.problem(id)).isEmpty();
    }

    @Test
    void acceptsExactly128Characters() {
        String id = "x".repeat(SlotId.MAX_LENGTH);

        assertThat(SlotId.isValid(id)).isTrue();
    }

    @Test
    void refuses129Characters() {
        String id = "x".repeat(SlotId.MAX_LENGTH + 1);

        assertThat(SlotId.isValid(id)).isFalse();
        assertThat(SlotId.problem(id)).hasValueSatisfying(p -> assertThat(p).contains("128"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void refusesNullAndEmpty(String id) {
        assertThat(SlotId.isValid(id)).isFalse();
        assertThat(SlotId.problem(id)).hasValueSatisfying(p -> assertThat(p).contains("empty"));
    }

    @ParameterizedTest
    @ValueSource(strings = {".", ".."})
    void refusesDotAndDotDot(String id) {
        assertThat(SlotId.isValid(id)).isFalse();
        assertThat(SlotId.problem(id)).hasValueSatisfying(p -> assertThat(p).contains("'.'"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a/b", "../etc", "a\\b", "a?b", "a#b", "a%2Fb", "caf\u00e9", "\u0430", "a\nb", "a\u0000b",
            " a", "a ", "a*", "a+b", "a@b"})
    void refusesOtherCharacters(String id) {
        assertThat(SlotId.isValid(id)).isFalse();
        assertThat(SlotId.problem(id)).hasValueSatisfying(p -> assertThat(p).contains("A-Z a-z 0-9 . _ : -"));
    }
}
