package io.andock.container;

import java.util.List;

/**
 * {@code --cap-add}, {@code --cap-drop}, {@code --privileged}, {@code --security-opt seccomp=unconfined}. Only the
 * oci driver applies them (see {@code Driver.adaptSpec}); proot and chroot cannot.
 */
public record SecurityOptions(List<String> capAdd, List<String> capDrop, boolean privileged, boolean seccomp) {
    public static final SecurityOptions DEFAULT = new SecurityOptions(List.of(), List.of(), false, true);

    public SecurityOptions {
        capAdd = List.copyOf(capAdd);
        capDrop = List.copyOf(capDrop);
    }
}
