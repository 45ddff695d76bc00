package dev.triage.tools.pool;

import dev.triage.cache.live.CachedPool;
import dev.triage.placement.Volume;
import dev.triage.tools.UserError;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code triage volume create|list|resize|delete}: the thin volumes of a pool. */
@Command(name = "volume", mixinStandardHelpOptions = true,
        description = "Manage the thin volumes of a pool (each change is durable on return).",
        subcommands = {VolumeCommand.Create.class, VolumeCommand.ListVolumes.class, VolumeCommand.Resize.class,
            VolumeCommand.Delete.class})
public final class VolumeCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code triage volume create}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a thin volume.")
    public static final class Create implements Callable<Integer> {
        @Mixin
        PoolDevices devices = new PoolDevices();

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "SIZE", description = "Size (multiple of 4 KiB), e.g. 10G.")
        String size;

        @Override
        public Integer call() throws Exception {
            long bytes = PoolDevices.parseSize(size, "SIZE");
            CachedPool p = devices.open();
            try {
                if (p.pool().volume(name) != null) {
                    throw new UserError("volume " + name + " exists already");
                }
                p.createVolume(name, bytes);
                System.out.printf("volume %s: %d bytes%n", name, bytes);
            } finally {
                PoolDevices.close(p);
            }
            return 0;
        }
    }

    /** {@code triage volume list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the volumes.")
    public static final class ListVolumes implements Callable<Integer> {
        @Mixin
        PoolDevices devices = new PoolDevices();

        @Override
        public Integer call() throws Exception {
            CachedPool p = devices.open();
            try {
                System.out.printf("%-24s %6s %16s %16s%n", "NAME", "ID", "SIZE", "MAPPED");
                for (Volume v : p.volumes()) {
                    System.out.printf("%-24s %6d %16d %16d%n", v.name(), v.id(), v.size(),
                            v.mappedBlocks() * 4096L);
                }
            } finally {
                PoolDevices.close(p);
            }
            return 0;
        }
    }

    /** {@code triage volume resize}. */
    @Command(name = "resize", mixinStandardHelpOptions = true,
            description = "Resizes a volume (a shrunk volume's tail is freed and reads as zeros if it grows again).")
    public static final class Resize implements Callable<Integer> {
        @Mixin
        PoolDevices devices = new PoolDevices();

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "SIZE")
        String size;

        @Override
        public Integer call() throws Exception {
            long bytes = PoolDevices.parseSize(size, "SIZE");
            CachedPool p = devices.open();
            try {
                if (p.pool().volume(name) == null) {
                    throw new UserError("no volume " + name);
                }
                p.resizeVolume(name, bytes);
                System.out.printf("volume %s: %d bytes%n", name, bytes);
            } finally {
                PoolDevices.close(p);
            }
            return 0;
        }
    }

    /** {@code triage volume delete}. */
    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Deletes a volume; its blocks are freed and never read by another volume.")
    public static final class Delete implements Callable<Integer> {
        @Mixin
        PoolDevices devices = new PoolDevices();

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            CachedPool p = devices.open();
            try {
                if (p.pool().volume(name) == null) {
                    throw new UserError("no volume " + name);
                }
                p.deleteVolume(name);
                System.out.printf("volume %s deleted%n", name);
            } finally {
                PoolDevices.close(p);
            }
            return 0;
        }
    }
}
