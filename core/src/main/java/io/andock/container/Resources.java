package io.andock.container;

/**
 * Resource limits ({@code --memory}, {@code --cpus}, {@code --pids-limit}); 0 means unlimited. Only drivers with
 * {@code DriverFeatures.cgroups()} enforce them.
 */
public record Resources(long memoryBytes, long nanoCpus, long pidsLimit) {
    public static final Resources NONE = new Resources(0, 0, 0);

    public boolean isEmpty() {
        return memoryBytes == 0 && nanoCpus == 0 && pidsLimit == 0;
    }
}
