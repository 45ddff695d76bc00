package dev.triage.tools.capture;

import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.NameTable;
import dev.triage.hints.trace.HintedCsvWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.triage.hints.ext4.DumpLayout;
import dev.triage.hints.ext4.Ext4Image;
import dev.triage.hints.ext4.Ext4Labeller;
import dev.triage.hints.ext4.Ext4Reader;
import dev.triage.hints.ext4.FileExt4Source;
import dev.triage.hints.ext4.FsLayout;
import dev.triage.hints.ext4.RawTraceAnnotator;
import dev.triage.tools.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code triage annotate}: label a raw ftrace/blkparse trace with DSS classes from its ext4 image. */
@Command(name = "annotate", mixinStandardHelpOptions = true,
        description = {"Label every request of a raw block trace (ftrace block_rq_issue text with "
                + "ext4_ext_map_blocks_exit events, or blkparse text) with its DSS class, read from the "
                + "ext4 file system it was taken on, and write the hinted CSV v1."},
        footer = {"", "Examples:",
                "  triage annotate --trace trace.txt --image fs.img --out run.csv.gz",
                "  triage annotate --trace ftrace.txt.gz --layout devtree-raw/ --out devtree.csv.gz"})
public final class AnnotateCommand implements Callable<Integer> {

    @Option(names = "--trace", required = true, paramLabel = "RAW",
            description = "The raw trace: ftrace text or blkparse text, plain or .gz.")
    Path trace;

    @ArgGroup(exclusive = true, multiplicity = "1")
    FsSource fs;

    static final class FsSource {
        @Option(names = "--image", paramLabel = "IMG",
                description = "The ext4 image (or block device) the trace was taken on, after the run.")
        Path image;

        @Option(names = "--layout", paramLabel = "DIR",
                description = "Instead of an image: a folder with dumpe2fs.txt, journal.txt, dirs.txt, sizes.txt.")
        Path layout;
    }

    @Option(names = "--out", required = true, paramLabel = "OUT.csv.gz", description = "Where to write the hinted CSV.")
    Path out;

    @Option(names = "--device", paramLabel = "MAJ:MIN",
            description = "Only this device's events (default: the device of the first request).")
    String device;

    @Option(names = "--workload", paramLabel = "NAME", description = "The workload's name for the header comment.")
    String workload;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(trace)) {
            throw new UserError(trace + ": no such file (--trace)");
        }
        FsLayout layout;
        String what;
        if (fs.image != null) {
            if (!Files.exists(fs.image)) {
                throw new UserError(fs.image + ": no such file (--image)");
            }
            try (FileExt4Source src = new FileExt4Source(fs.image)) {
                Ext4Image img = Ext4Reader.read(src);
                reportProblems(img);
                layout = img;
            }
            what = fs.image.getFileName().toString();
        } else {
            if (!Files.isDirectory(fs.layout)) {
                throw new UserError(fs.layout + ": not a folder (--layout)");
            }
            layout = DumpLayout.load(fs.layout);
            what = fs.layout.getFileName() + "/";
        }
        int dev = device == null ? -1 : parseDevice(device);
        String name = workload != null ? workload : trace.getFileName().toString().replaceAll("\\..*", "");
        ClassMix mix = label(trace, layout, dev, out, "triage annotate of " + trace.getFileName() + " on " + what, name);
        System.out.println("annotate: " + mix.totalRequests() + " requests written to " + out);
        return 0;
    }

    static void reportProblems(Ext4Image img) {
        if (img.problemCount() > 0) {
            System.err.println("annotate: the ext4 image has " + img.problemCount()
                    + " problems (their blocks stay unclassified); first: " + img.problems().get(0));
        }
    }

    static int parseDevice(String s) {
        String[] f = s.split("[:,]");
        try {
            if (f.length == 2) {
                return Integer.parseInt(f[0]) << 20 | Integer.parseInt(f[1]);
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new UserError("--device " + s + ": expected MAJOR:MINOR, e.g. 7:1");
    }

    /** A note value the hinted CSV's comment line can hold. */
    private static String note(String s) {
        return s.replaceAll("[;=#\\r\\n]", "_");
    }

    /** Labels a raw trace into a hinted CSV and prints the class mix. */
    static ClassMix label(Path raw, FsLayout layout, int dev, Path out, String source, String workload)
            throws IOException {
        ClassVocabulary vocabulary = new ClassVocabulary();
        Ext4Labeller labeller = new Ext4Labeller(layout, vocabulary);
        RawTraceAnnotator annotator = new RawTraceAnnotator();
        ClassMix mix = new ClassMix();
        // Written beside the output under a name with the same extension (the writer picks the
        // compression by it), then moved into place: a failed run leaves no half trace.
        Path tmp = out.resolveSibling(".part-" + out.getFileName());
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("source", note(source));
        notes.put("workload", note(workload));
        notes.put("block_size", Integer.toString(layout.blockSize()));
        NameTable noVolumes = new NameTable();
        try (HintedCsvWriter rows = HintedCsvWriter.open(tmp, notes, false)) {
            annotator.annotate(raw, labeller, dev, r -> {
                rows.write(r, vocabulary, annotator.processes(), noVolumes);
                mix.add(r);
            });
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        mix.print(System.out, vocabulary);
        return mix;
    }
}
