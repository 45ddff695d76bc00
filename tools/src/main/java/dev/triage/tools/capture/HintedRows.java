package dev.triage.tools.capture;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.IoPrio;
import dev.triage.hints.NameTable;
import dev.triage.hints.Rwbs;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes labelled requests as the hinted CSV v1 ({@code trace-format.md}), gzip-compressed
 * when asked. (A stand-in until the shared {@code HintedCsvWriter}
 * is on main.)
 */
final class HintedRows implements Closeable {
    private final BufferedWriter out;
    private final ClassVocabulary vocabulary;
    private final NameTable processes;
    private final StringBuilder line = new StringBuilder(128);

    HintedRows(Path file, boolean gzip, String source, String workload, int blockSize, ClassVocabulary vocabulary,
            NameTable processes) throws IOException {
        OutputStream os = Files.newOutputStream(file);
        if (gzip) {
            os = new GZIPOutputStream(os, 1 << 16);
        }
        this.out = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16);
        this.vocabulary = vocabulary;
        this.processes = processes;
        out.write("# hinted block trace v1\n");
        out.write("# source=" + clean(source) + "; workload=" + clean(workload) + "; block_size=" + blockSize + "\n");
        out.write("ts_ns,op,offset,length,class,file_size,flags,ioprio,comm\n");
    }

    private static String clean(String s) {
        return s.replace('\n', ' ').replace(';', ',');
    }

    void write(BlockRequest r) throws IOException {
        line.setLength(0);
        line.append(r.tsNs).append(',').append(r.op.code()).append(',').append(r.offset).append(',')
                .append(r.length).append(',').append(vocabulary.name(r.tag)).append(',');
        if (r.fileSize >= 0) {
            line.append(r.fileSize);
        }
        line.append(',').append(Rwbs.format(r.flags)).append(',');
        if (r.ioprio >= 0) {
            line.append(IoPrio.format(r.ioprio));
        }
        line.append(',');
        if (r.comm >= 0) {
            String c = processes.name(r.comm);
            for (int i = 0; i < c.length(); i++) {
                char ch = c.charAt(i);
                line.append(ch == ',' || ch < ' ' ? '_' : ch);
            }
        }
        line.append('\n');
        out.append(line);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
