package io.andock.hub.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;

import java.nio.file.Files;
import java.nio.file.Path;

/** The contract on the embedded store (one process per root: not shared). */
@Tag("unit")
class LocalStorageTest extends HubStorageContract {
    Path root;

    @Override
    HubStorage open() throws Exception {
        root = Files.createTempDirectory("andock-hub-storage");
        return LocalStorage.open(root);
    }

    @Override
    HubStorage reopen() {
        return null;
    }

    @AfterEach
    void removeRoot() {
        io.andock.os.FileTrees.removeTree(root);
    }
}
