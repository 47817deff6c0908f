package io.recur.bench;

import io.recur.config.Cell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The PyTorch peer of the cell rows: one long-lived {@code dev/bench-peer-torch.py} process
 * (Debian's {@code /usr/bin/python3} with {@code python3-torch}, or {@code recur.bench.python})
 * that trains the same configuration on request, so that its repetitions can be interleaved
 * with recur's in one run. Where PyTorch is absent the peer is unavailable and says why.
 */
final class PeerTorch implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final String version;
    private final String unavailable;

    private PeerTorch(Process process, BufferedReader out, PrintWriter in, String version, String unavailable) {
        this.process = process;
        this.out = out;
        this.in = in;
        this.version = version;
        this.unavailable = unavailable;
    }

    static PeerTorch start() {
        String python = System.getProperty("recur.bench.python", "/usr/bin/python3");
        Path script = Path.of(System.getProperty("recur.bench.peer-script", "dev/bench-peer-torch.py"));
        if (!Files.isExecutable(Path.of(python)))
            return new PeerTorch(null, null, null, null, python + " not found (install Debian's python3-torch)");
        if (!Files.isRegularFile(script))
            return new PeerTorch(null, null, null, null, script.toAbsolutePath() + " not found");
        try {
            ProcessBuilder builder = new ProcessBuilder(python, script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
            // GNU OpenMP's threads spin while they wait; on a machine with more runnable threads than
            // cores (a shared box, or recur's JVM beside it) the spinning took PyTorch from ~10,000 to
            // ~400 tokens/s (rnn h256 b32, load 14 on 2 cores). Passive waiting is the fair setting.
            builder.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
            Process p = builder.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            PrintWriter in = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
            String first = out.readLine();
            if (first == null || !first.startsWith("ready ")) {
                p.destroy();
                return new PeerTorch(null, null, null, null, first == null ? python + " " + script + " exited" : first);
            }
            return new PeerTorch(p, out, in, first.substring("ready ".length()) + " OMP_WAIT_POLICY "
                    + builder.environment().get("OMP_WAIT_POLICY"), null);
        } catch (IOException e) {
            return new PeerTorch(null, null, null, null, "cannot start " + python + ": " + e.getMessage());
        }
    }

    boolean available() {
        return unavailable == null;
    }

    /** Why the peer rows are skipped; null when the peer runs. */
    String unavailableReason() {
        return unavailable;
    }

    /** e.g. "torch 1.13.1 threads 2 blas libblas.so.3,libopenblasp-r0.3.21.so", with the OpenMP wait policy. */
    String version() {
        return version;
    }

    /** Trains the cell's network for at least {@code seconds}; its tokens per second. */
    double tokensPerSecond(Cell cell, int hidden, int batch, double seconds) {
        in.printf("%s %d %d %s%n", cell.id(), hidden, batch, seconds);
        try {
            String line = out.readLine();
            if (line == null) throw new IllegalStateException("the PyTorch peer exited (see its stderr above)");
            return Double.parseDouble(line.trim());
        } catch (IOException e) {
            throw new IllegalStateException("the PyTorch peer failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (process == null) return;
        in.close();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroy();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
        }
    }
}
