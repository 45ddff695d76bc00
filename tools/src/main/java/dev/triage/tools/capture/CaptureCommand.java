package dev.triage.tools.capture;

import dev.triage.hints.ext4.Ext4Image;
import dev.triage.hints.ext4.Ext4Reader;
import dev.triage.hints.ext4.FileExt4Source;
import dev.triage.tools.UserError;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code triage capture}: runs a command on a fresh ext4 file system on a loop device, records
 * the device's block requests and ext4's block mappings through a tracefs instance of its own,
 * labels every request with its DSS class from the file system's structures, and writes the
 * hinted CSV v1. Everything it sets up (cgroup, trace instance, mount, loop device) is undone
 * when it ends, fails, or is interrupted.
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
        description = {"Record a hinted block trace of a command's file-system workload (needs root).",
                "On a sparse image, a loop device and a fresh ext4, the command runs with $TRIAGE_MNT set and a "
                        + "small memory cgroup; block_rq_issue and ext4_ext_map_blocks_exit are traced through a "
                        + "tracefs instance of its own, and every request is labelled with its DSS class from the "
                        + "file system's own structures."},
        footer = {"", "Examples:",
                "  triage capture --out untar.csv.gz -- sh -c 'tar -C $TRIAGE_MNT -xf linux.tar.xz'",
                "  triage capture --out pgbench.csv.gz --fs-size 8G --mem-limit 128M -- workloads/pgbench.sh"})
public final class CaptureCommand implements Callable<Integer> {
    private static final Path TRACEFS = Path.of("/sys/kernel/tracing");
    private static final Path MEMCG = Path.of("/sys/fs/cgroup/memory");

    @Option(names = "--out", required = true, paramLabel = "TRACE.csv.gz", description = "Where to write the hinted CSV.")
    Path out;

    @Option(names = "--fs-size", defaultValue = "4G", paramLabel = "SIZE",
            description = "Size of the (sparse) file system image. Default: ${DEFAULT-VALUE}.")
    String fsSize;

    @Option(names = "--mem-limit", defaultValue = "96M", paramLabel = "SIZE",
            description = "Memory limit of the command's cgroup (small, so reads reach the disk). Default: ${DEFAULT-VALUE}.")
    String memLimit;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where the image, mount point and raw trace go (default: a new folder in /var/tmp).")
    Path workDir;

    @Option(names = "--keep", description = "Keep the image and the raw trace (in the work folder).")
    boolean keep;

    @Option(names = "--workload", paramLabel = "NAME", description = "The workload's name for the header (default: the command's name).")
    String workload;

    @Option(names = "--mkfs-options", paramLabel = "OPTS", defaultValue = "",
            description = "Extra mkfs.ext4 options, space-separated.")
    String mkfsOptions;

    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The command to run (after --).")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        if (Sys.euid() != 0) {
            throw new UserError("capture needs root (loop devices, mount, tracefs, cgroups); run it with sudo");
        }
        long fsBytes = parseSize("--fs-size", fsSize);
        long memBytes = parseSize("--mem-limit", memLimit);
        if (fsBytes < (64L << 20)) {
            throw new UserError("--fs-size " + fsSize + ": at least 64M");
        }
        Path outAbs = out.toAbsolutePath();
        if (outAbs.getParent() != null && !Files.isDirectory(outAbs.getParent())) {
            throw new UserError(outAbs.getParent() + ": no such folder (--out)");
        }
        long pid = ProcessHandle.current().pid();
        String name = "triage-" + pid;
        Path work = workDir != null ? Files.createDirectories(workDir).toAbsolutePath()
                : Files.createTempDirectory(Path.of("/var/tmp"), "triage-capture-");
        // Workloads may run as another user (postgres): they must reach the mount point.
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path image = work.resolve("fs.img");
        Path mnt = work.resolve("mnt");
        Path raw = work.resolve("raw-trace.txt");
        int status;
        try (Cleanup cleanup = new Cleanup()) {
            if (!keep) {
                cleanup.add("remove " + work, () -> {
                    Files.deleteIfExists(image);
                    Files.deleteIfExists(raw);
                    Files.deleteIfExists(mnt);
                    if (workDir == null) {
                        Files.deleteIfExists(work);
                    }
                });
            }
            // 1. The image, the loop device, the file system, the mount.
            Files.deleteIfExists(image);
            try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.truncate(fsBytes);
                ch.write(java.nio.ByteBuffer.allocate(1), fsBytes - 1);
            }
            List<String> mkfs = new ArrayList<>(List.of("mkfs.ext4", "-q", "-F", "-E",
                    "lazy_itable_init=0,lazy_journal_init=0,nodiscard"));
            for (String o : mkfsOptions.trim().split("\\s+")) {
                if (!o.isEmpty()) {
                    mkfs.add(o);
                }
            }
            mkfs.add(image.toString());
            Sys.run(mkfs);
            String loop = cleanup.setUp("detach the loop device",
                    () -> Sys.run(List.of("losetup", "--find", "--show", image.toString())).trim(),
                    made -> () -> Sys.run(List.of("losetup", "-d", made)));
            int dev = deviceNumber(loop);
            Files.createDirectories(mnt);
            cleanup.setUp("unmount " + mnt, () -> Sys.run(List.of("mount", "-t", "ext4", loop, mnt.toString())),
                    made -> () -> unmount(mnt));

            // 2. A trace instance of our own, filtered to the loop device.
            if (!Files.isDirectory(TRACEFS.resolve("instances"))) {
                cleanup.setUp("unmount " + TRACEFS,
                        () -> Sys.run(List.of("mount", "-t", "tracefs", "nodev", TRACEFS.toString())),
                        made -> () -> Sys.run(List.of("umount", TRACEFS.toString())));
            }
            Path inst = TRACEFS.resolve("instances").resolve(name);
            TraceRecorder recorder = cleanup.setUp("remove trace instance " + inst, () -> {
                Files.createDirectory(inst);
                return new TraceRecorder(inst, raw);
            }, made -> made::remove);
            recorder.start(dev);

            // 3. A memory cgroup for the command.
            Path cg = MEMCG.resolve(name);
            cleanup.setUp("remove cgroup " + cg, () -> Files.createDirectory(cg), made -> () -> removeCgroup(cg));
            Sys.write(cg.resolve("memory.limit_in_bytes"), Long.toString(memBytes));

            // 4. The command.
            System.err.println("capture: running " + String.join(" ", command) + " on " + loop + " mounted at "
                    + mnt + " (memory limit " + memLimit + ")");
            List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c",
                    "echo $$ > " + cg.resolve("cgroup.procs") + " && exec \"$@\"", "sh"));
            String program = command.get(0);
            if (program.contains("/") && !program.startsWith("/") && Files.exists(Path.of(program))) {
                program = Path.of(program).toAbsolutePath().toString(); // the command runs in the mount
            }
            argv.add(program);
            argv.addAll(command.subList(1, command.size()));
            ProcessBuilder pb = new ProcessBuilder(argv).inheritIO().directory(mnt.toFile());
            pb.environment().put("TRIAGE_MNT", mnt.toString());
            Process p = cleanup.setUp("stop the command", pb::start, made -> () -> {
                if (made.isAlive()) {
                    made.destroy();
                    if (!made.waitFor(5, TimeUnit.SECONDS)) {
                        made.destroyForcibly();
                    }
                }
            });
            status = p.waitFor();
            if (cleanup.done()) {
                // Ctrl-C: the shutdown hook stopped the command and undid everything.
                throw new UserError("capture interrupted; everything it set up is removed, no trace written");
            }
            if (status != 0) {
                System.err.println("capture: the command exited with status " + status + "; the trace is written anyway");
            }
            killCgroup(cg);
            Sys.run(List.of("sync", "-f", mnt.toString()));
            unmount(mnt);
            recorder.stop();
            System.err.println("capture: " + recorder.lost() + " trace events lost");

            // 5. Label from the final image, after the unmount.
            Ext4Image img;
            try (FileExt4Source src = new FileExt4Source(image)) {
                img = Ext4Reader.read(src);
            }
            AnnotateCommand.reportProblems(img);
            String wl = workload != null ? workload : Path.of(command.get(0)).getFileName().toString();
            AnnotateCommand.label(raw, img, dev, outAbs, String.format(Locale.ROOT,
                    "triage capture: linux ftrace block_rq_issue on ext4 (loop device, %s, mem limit %s)", fsSize, memLimit),
                    wl);
            if (keep) {
                System.err.println("capture: image and raw trace kept in " + work);
            }
        }
        return status;
    }

    private static void unmount(Path mnt) throws IOException {
        if (!Sys.isMounted(mnt)) {
            return;
        }
        try {
            Sys.run(List.of("umount", mnt.toString()));
        } catch (IOException busy) {
            Sys.run(List.of("umount", "-l", mnt.toString()));
        }
    }

    /** Kills what is left of the command's processes (they were all started by this capture). */
    private static void killCgroup(Path cg) throws IOException {
        Path procs = cg.resolve("cgroup.procs");
        for (int round = 0; round < 50 && Files.exists(procs); round++) {
            List<String> pids = Files.readAllLines(procs).stream().filter(s -> !s.isBlank()).toList();
            if (pids.isEmpty()) {
                return;
            }
            for (String pid : pids) {
                ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(round < 10 ? ProcessHandle::destroy
                        : ProcessHandle::destroyForcibly);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void removeCgroup(Path cg) throws IOException {
        if (!Files.exists(cg)) {
            return;
        }
        killCgroup(cg);
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                Files.delete(cg);
                return;
            } catch (IOException e) {
                last = e;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw last;
    }

    /** The dev_t of a block device as the kernel's tracepoints print it: major << 20 | minor. */
    static int deviceNumber(String device) throws IOException {
        String name = Path.of(device).getFileName().toString();
        String mm = Files.readString(Path.of("/sys/class/block", name, "dev")).trim();
        String[] f = mm.split(":");
        return Integer.parseInt(f[0]) << 20 | Integer.parseInt(f[1]);
    }

    static long parseSize(String option, String s) {
        String t = s.trim().toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "");
        long mult = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> mult = 1L << 10;
                case 'M' -> mult = 1L << 20;
                case 'G' -> mult = 1L << 30;
                case 'T' -> mult = 1L << 40;
                default -> mult = 1;
            }
            if (mult > 1) {
                t = t.substring(0, t.length() - 1);
            }
        }
        try {
            long v = Long.parseLong(t);
            if (v > 0 && v <= Long.MAX_VALUE / mult) {
                return v * mult;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new UserError(option + " " + s + ": expected a size such as 4G or 96M");
    }
}
