package io.andock.hub.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;

import java.nio.file.Files;
import java.nio.file.Path;

/** The contract on S3 storage in a real S3 server (SeaweedFS), a prefix of one bucket per test; shared between two handles. */
@Tag("registry")
class S3StorageTest extends HubStorageContract {
    Path spool;
    String prefix;

    @Override
    HubStorage open() throws Exception {
        SeaweedFs s3 = SeaweedFs.shared();
        spool = Files.createTempDirectory("andock-hub-spool");
        prefix = s3.prefix();
        return S3Storage.open(s3.client(), prefix, spool.resolve("a"));
    }

    @Override
    HubStorage reopen() throws Exception {
        return S3Storage.open(SeaweedFs.shared().client(), prefix, spool.resolve("b"));
    }

    @AfterEach
    void removeSpool() {
        if (spool != null) io.andock.os.FileTrees.removeTree(spool);
    }
}
