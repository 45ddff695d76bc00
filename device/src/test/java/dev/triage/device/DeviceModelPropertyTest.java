package dev.triage.device;

import dev.triage.device.fault.FaultyDevice;
import dev.triage.device.timing.TimedDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.api.Assumptions;

/** Every device agrees with a byte[] image on random sequences of read, write, discard, zeroes and flush. */
class DeviceModelPropertyTest {

    /** 3 MiB: crosses MemoryDevice's 1 MiB chunks. */
    private static final int MEMORY_SIZE = 3 << 20;
    private static final int FILE_SIZE = 2 << 20;
    private static final AtomicInteger FILES = new AtomicInteger();

    static Path testDir() throws IOException {
        Path dir = Path.of("target", "test-devices").toAbsolutePath();
        Files.createDirectories(dir);
        return dir;
    }

    static Path freshFile() throws IOException {
        Path p = testDir().resolve("model-" + ProcessHandle.current().pid() + "-" + FILES.incrementAndGet() + ".img");
        Files.deleteIfExists(p);
        return p;
    }

    static void assumeDirectIo() throws IOException {
        Assumptions.assumeTrue(FileDevice.supportsDirectIo(testDir()),
                "the file system of " + testDir() + " does not support O_DIRECT (tmpfs?): O_DIRECT tests skipped");
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var files = Files.list(testDir())) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith("model-")).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Provide
    Arbitrary<List<DeviceOpScript.Step>> memorySteps() {
        return DeviceOpScript.steps(MEMORY_SIZE / 512, 4096, 40);
    }

    @Provide
    Arbitrary<List<DeviceOpScript.Step>> fileSteps() {
        return DeviceOpScript.steps(FILE_SIZE / 4096, 80, 30);
    }

    @Property(tries = 40)
    void memoryDeviceMatchesModel(@ForAll("memorySteps") List<DeviceOpScript.Step> steps) throws IOException {
        try (MemoryDevice dev = new MemoryDevice(MEMORY_SIZE)) {
            DeviceOpScript.run(dev, steps);
        }
    }

    @Property(tries = 40)
    void faultyDeviceLiveImageMatchesModel(@ForAll("memorySteps") List<DeviceOpScript.Step> steps)
            throws IOException {
        try (FaultyDevice dev = new FaultyDevice(MEMORY_SIZE)) {
            DeviceOpScript.run(dev, steps);
        }
    }

    @Property(tries = 20)
    void timedDevicePassesDataThrough(@ForAll("memorySteps") List<DeviceOpScript.Step> steps) throws IOException {
        try (TimedDevice dev = TimedDevice.disk(new MemoryDevice(MEMORY_SIZE))) {
            DeviceOpScript.run(dev, steps);
        }
    }

    @Property(tries = 25)
    void directFileDeviceMatchesModel(@ForAll("fileSteps") List<DeviceOpScript.Step> steps) throws IOException {
        assumeDirectIo();
        Path p = freshFile();
        try (FileDevice dev = FileDevice.create(p, FILE_SIZE)) {
            DeviceOpScript.run(dev, steps);
        } finally {
            Files.deleteIfExists(p);
        }
    }

    @Property(tries = 15)
    void channelEngineFileDeviceMatchesModel(@ForAll("fileSteps") List<DeviceOpScript.Step> steps)
            throws IOException {
        assumeDirectIo();
        Path p = freshFile();
        try (FileDevice dev = FileDevice.create(p, FILE_SIZE, FileDevice.Options.DEFAULT
                .withEngine(FileDevice.Engine.CHANNEL).withFuaMode(FileDevice.FuaMode.WRITE_THEN_FDATASYNC))) {
            DeviceOpScript.run(dev, steps);
        } finally {
            Files.deleteIfExists(p);
        }
    }

    @Property(tries = 10)
    void bufferedFileDeviceMatchesModel(@ForAll("fileSteps") List<DeviceOpScript.Step> steps) throws IOException {
        Path p = freshFile();
        try (FileDevice dev = FileDevice.create(p, FILE_SIZE, FileDevice.Options.DEFAULT.withDirect(false))) {
            DeviceOpScript.run(dev, steps);
        } finally {
            Files.deleteIfExists(p);
        }
    }
}
