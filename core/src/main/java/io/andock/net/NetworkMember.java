package io.andock.net;

/**
 * A container on a user network, for {@code network inspect}'s {@code Containers}: the address fields are empty
 * while it is not running.
 */
public record NetworkMember(String containerId, String name, String address, int prefixLen, String mac) {}
