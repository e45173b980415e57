package io.andock.engine;

import io.andock.driver.Driver;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("unit")
class LazyOciDriverTest {
    /**
     * The lazy driver stands for the oci driver: a method of {@link Driver} it does not override would run the
     * interface's default instead of runc's (start once answered before runc had started the container).
     */
    @Test
    void everyDriverMethod_isDelegated_notLeftToTheDefault() throws Exception {
        List<String> missing = new ArrayList<>();
        for (Method m : Driver.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) continue;
            Method impl = LazyOciDriver.class.getMethod(m.getName(), m.getParameterTypes());
            if (impl.getDeclaringClass() != LazyOciDriver.class) missing.add(m.getName());
        }
        assertThat(missing).isEmpty();
    }
}
