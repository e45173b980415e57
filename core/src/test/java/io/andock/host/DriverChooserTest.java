package io.andock.host;

import io.andock.AndockException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("unit")
class DriverChooserTest {

    @Test
    void rootWithNamespaces_choosesOci_preferringCrunOnV2() {
        DriverChoice c = DriverChooser.choose(HostInfos.rootDebian().build());
        assertThat(c.driver()).isEqualTo(DriverKind.OCI);
        assertThat(c.runtime()).isEqualTo("crun");
        assertThat(c.rootless()).isFalse();
        assertThat(c.describe()).isEqualTo("oci (crun)");
        assertThat(c.reasons().get(0)).isEqualTo("root and namespaces available -> oci (crun)");
    }

    @Test
    void hybridCgroups_preferRunc() {
        DriverChoice c = DriverChooser.choose(HostInfos.rootDebian().cgroup(CgroupInfo.Version.HYBRID).build());
        assertThat(c.describe()).isEqualTo("oci (runc)");
        assertThat(c.summary()).contains("hybrid");
    }

    @Test
    void hybridWithCrunOnly_usesCrunWithWarning() {
        DriverChoice c = DriverChooser.choose(HostInfos.rootDebian().tools("crun").cgroup(CgroupInfo.Version.HYBRID).build());
        assertThat(c.runtime()).isEqualTo("crun");
        assertThat(c.summary()).contains("warning");
    }

    @Test
    void onlyRunc_usesRunc() {
        assertThat(DriverChooser.choose(HostInfos.rootDebian().tools("runc").build()).runtime()).isEqualTo("runc");
    }

    @Test
    void rootlessWithUserNamespaces_choosesOciRootless() {
        DriverChoice c = DriverChooser.choose(HostInfos.rootDebian().user(1000).userns(Verdict.yes("unshare -U -r true works")).build());
        assertThat(c.describe()).isEqualTo("oci (crun, rootless)");
        assertThat(c.rootless()).isTrue();
        assertThat(c.summary()).contains("rootless with user namespaces").contains("no resource limits");
    }

    @Test
    void rootWithoutNamespaces_choosesChroot() {
        DriverChoice c = DriverChooser.choose(HostInfos.rootDebian().namespaces(Verdict.no("kernel lacks pid namespaces")).build());
        assertThat(c.driver()).isEqualTo(DriverKind.CHROOT);
        assertThat(c.reasons().get(0)).isEqualTo("root without namespaces -> chroot");
        assertThat(c.summary()).contains("not oci: root, but namespaces are unavailable: kernel lacks pid namespaces")
                .contains("private mount namespace via unshare -m");
    }

    @Test
    void rootWithoutRuntime_choosesChroot() {
        DriverChoice c = DriverChooser.choose(HostInfos.rootDebian().tools("chroot", "proot").build());
        assertThat(c.driver()).isEqualTo(DriverKind.CHROOT);
        assertThat(c.summary()).contains("neither runc nor crun found on PATH").contains("no private mount namespace");
    }

    @Test
    void rootWithoutCgroups_fallsBackToChroot() {
        DriverChoice c = DriverChooser.choose(HostInfos.rootDebian().cgroup(CgroupInfo.Version.NONE).build());
        assertThat(c.driver()).isEqualTo(DriverKind.CHROOT);
        assertThat(c.summary()).contains("no cgroup filesystem");
    }

    @Test
    void unprivilegedWithoutUserNamespaces_choosesProot() {
        HostInfo h = HostInfos.rootDebian().user(10234).userns(Verdict.no("unshare -U -r true: Invalid argument"))
                .android(34).build();
        DriverChoice c = DriverChooser.choose(h);
        assertThat(c.driver()).isEqualTo(DriverKind.PROOT);
        assertThat(c.reasons()).first().isEqualTo("unprivileged, proot present -> proot");
        assertThat(c.summary()).contains("not oci: not root (uid 10234) and no user namespaces")
                .contains("Android gives apps no user namespaces").contains("not chroot: needs root");
    }

    @Test
    void nothingWorks_failsWithEveryReason() {
        HostInfo h = HostInfos.rootDebian().user(1000).userns(Verdict.no("max_user_namespaces is 0")).tools().build();
        assertThatThrownBy(() -> DriverChooser.choose(h))
                .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(AndockException.Kind.UNAVAILABLE))
                .hasMessageContaining("no execution driver works here")
                .hasMessageContaining("proot not found on PATH; install it: apt-get install proot (Termux: pkg install proot)");
    }

    @Test
    void forcedProotMissing_failsSayingWhatToInstall() {
        HostInfo h = HostInfos.rootDebian().tools("runc").build();
        assertThatThrownBy(() -> DriverChooser.choose(h, Optional.of("proot")))
                .isInstanceOf(AndockException.class)
                .hasMessage("driver proot: proot not found on PATH; install it: apt-get install proot (Termux: pkg install proot)");
    }

    @Test
    void forcedProot_winsOverOci() {
        DriverChoice c = DriverChooser.choose(HostInfos.rootDebian().build(), Optional.of(" PROOT "));
        assertThat(c.driver()).isEqualTo(DriverKind.PROOT);
        assertThat(c.forced()).isTrue();
    }

    @Test
    void forcedChrootAsUser_fails() {
        assertThatThrownBy(() -> DriverChooser.choose(HostInfos.rootDebian().user(1000).build(), Optional.of("chroot")))
                .hasMessageStartingWith("driver chroot: needs root (uid 1000)");
    }

    @Test
    void forcedOciWithoutUserNamespaces_fails() {
        HostInfo h = HostInfos.rootDebian().user(10234).userns(Verdict.no("Invalid argument")).build();
        assertThatThrownBy(() -> DriverChooser.choose(h, Optional.of("oci")))
                .hasMessageContaining("driver oci: not root (uid 10234) and no user namespaces: Invalid argument");
    }

    @Test
    void forcedRuntime_crunOnHybrid_isHonouredWithWarning_andMissingRuntimeFails() {
        HostInfo h = HostInfos.rootDebian().cgroup(CgroupInfo.Version.HYBRID).build();
        DriverChoice c = DriverChooser.choose(h, Optional.of("crun"));
        assertThat(c.describe()).isEqualTo("oci (crun)");
        assertThat(c.summary()).contains("(forced); warning: crun 1.8 refuses hybrid cgroup layouts");
        HostInfo noRunc = HostInfos.rootDebian().tools("crun").build();
        assertThatThrownBy(() -> DriverChooser.choose(noRunc, Optional.of("runc")))
                .hasMessage("driver runc: runc not found on PATH; install it: apt-get install runc");
    }

    @Test
    void unknownDriver_isInvalidArgument() {
        assertThatThrownBy(() -> DriverChooser.choose(HostInfos.rootDebian().build(), Optional.of("kvm")))
                .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(AndockException.Kind.INVALID_ARGUMENT))
                .hasMessageContaining("unknown driver \"kvm\"");
    }

    @Test
    void blankForcedName_meansAutomatic() {
        assertThat(DriverChooser.choose(HostInfos.rootDebian().build(), Optional.of("  ")).forced()).isFalse();
    }

    @Test
    void report_rendersChoiceAndFailure() {
        HostReport ok = HostReport.of(HostInfos.rootDebian().cgroup(CgroupInfo.Version.HYBRID).build(), Optional.empty());
        assertThat(ok.toJson()).containsEntry("Driver", "oci").containsEntry("DriverRuntime", "runc")
                .containsEntry("CgroupVersion", "hybrid").containsEntry("Rootless", false);
        assertThat(ok.toText()).startsWith("Driver: oci (runc)\n  - root and namespaces available -> oci (runc)\n")
                .contains("Kernel Config: unreadable: test");
        HostReport none = HostReport.of(HostInfos.rootDebian().tools("runc").build(), Optional.of("proot"));
        assertThat(none.toJson()).containsEntry("Driver", "none");
        assertThat(none.toText()).startsWith("Driver: none\n  - driver proot: proot not found");
    }
}
