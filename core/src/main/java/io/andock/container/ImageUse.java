package io.andock.container;

/**
 * One container's hold on an image: the image it was created from (its ID, the config digest) and the snapshot
 * its rootfs sits on. Garbage collection keeps both, {@code rmi} and {@code image prune} refuse or skip the image.
 *
 * @param containerId the container (also one still being created, or being removed)
 * @param imageId     {@code sha256:…} of the image config, as recorded at create time
 * @param imageRootfs the snapshot rootfs (the overlay's lower dir, or the copy's source), or null if unknown
 * @param running     whether the container runs now (Docker refuses even a forced removal of such an image)
 */
public record ImageUse(String containerId, String imageId, String imageRootfs, boolean running) {
    public String shortId() {
        return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
    }
}
