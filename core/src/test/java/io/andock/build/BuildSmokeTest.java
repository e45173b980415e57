package io.andock.build;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class BuildSmokeTest {
    @TempDir
    Path tmp;

    @Test
    void fiveSteps() throws Exception {
        BuildFixture f = new BuildFixture(tmp);
        f.file("hello.txt", "hi\n").dockerfile("FROM BASE", "COPY hello.txt /app/", "RUN echo built > /app/b && rm /bin/vi",
                "RUN cat /app/hello.txt", "CMD [\"cat\", \"/app/b\"]");
        BuildResult r = f.build("web:1");
        System.out.println(f.output);
        Path rootfs = f.rootfs("web:1");
        assertThat(rootfs.resolve("app/b")).hasContent("built");
        assertThat(rootfs.resolve("bin/vi")).doesNotExist();
        f.build("web:1");
        System.out.println(f.output);
        assertThat(f.count("Using cache")).isEqualTo(4);
    }
}
