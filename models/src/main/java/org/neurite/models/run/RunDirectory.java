package org.neurite.models.run;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.neurite.layers.Param;
import org.neurite.layers.optim.Optimizer;
import org.neurite.models.checkpoint.AtomicFiles;
import org.neurite.models.checkpoint.Checkpoint;
import org.neurite.models.checkpoint.TrainingState;
import org.neurite.models.data.InputDataException;
import org.neurite.models.report.MetricsCsv;

/**
 * A run directory: what {@code neurite train} writes and {@code --resume} reads.
 * <pre>
 *   RUN_DIR/config.yaml        the resolved settings (RunConfigYaml)
 *   RUN_DIR/metrics.csv        a row per epoch (and per --log-every steps)
 *   RUN_DIR/loss.png, accuracy.png   curves, redrawn after every epoch
 *   RUN_DIR/latest             the newest complete checkpoint's folder name
 *   RUN_DIR/checkpoints/epoch-0002-step-000000125/   model.safetensors, optimizer.safetensors, state.json
 *   RUN_DIR/.lock              held while a process trains here (RunLock)
 * </pre>
 */
public final class RunDirectory {
    public static final String CONFIG = "config.yaml";

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    public Path path() { return dir; }

    public Path config() { return dir.resolve(CONFIG); }

    public MetricsCsv metrics() { return new MetricsCsv(dir); }

    /** Whether {@code dir} already holds a run (a config or a checkpoint), as opposed to being new or empty. */
    public static boolean holdsRun(Path dir) {
        return Files.exists(dir.resolve(CONFIG)) || Files.exists(dir.resolve(Checkpoint.LATEST))
                || Files.isDirectory(dir.resolve(Checkpoint.CHECKPOINTS));
    }

    /** Makes {@code dir} (and its parents) for a new run; refuses one that holds a run already. */
    public static RunDirectory create(Path dir) {
        if (holdsRun(dir)) {
            throw new RunException(dir + " holds a run already; continue it with --resume " + dir + ", or pick another --out");
        }
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new RunException("cannot create run directory " + dir + ": " + e.getFile() + " exists and is not a directory", e);
        } catch (IOException e) {
            throw new RunException("cannot create run directory " + dir + ": " + reason(e), e);
        }
        if (!Files.isWritable(dir)) throw new RunException("cannot write to run directory " + dir + " (permission denied)");
        return new RunDirectory(dir);
    }

    /** An existing run, to resume; it must hold the config.yaml its first process wrote. */
    public static RunDirectory open(Path dir) {
        if (!Files.isDirectory(dir)) throw new RunException("--resume: no such run directory: " + dir);
        if (!Files.isRegularFile(dir.resolve(CONFIG))) {
            throw new RunException("--resume: " + dir + " holds no " + CONFIG + " (not a run directory, or its run died before starting)");
        }
        return new RunDirectory(dir);
    }

    /** Deletes the temporary files interrupted writes left behind (here and in every checkpoint folder). */
    public List<Path> removeLeftovers() throws IOException {
        List<Path> removed = new ArrayList<>(AtomicFiles.removeLeftovers(dir));
        for (Path c : Checkpoint.list(dir)) removed.addAll(AtomicFiles.removeLeftovers(c));
        return removed;
    }

    /**
     * Loads the newest complete checkpoint into {@code params} and {@code optimizer}: the one
     * {@code latest} names, or, when that is missing or damaged, the newest older one that loads
     * (every hash and shape checked). Says on {@code log} which one and why others were passed
     * over. Empty when no checkpoint loads: the run starts from its beginning.
     */
    public java.util.Optional<Loaded> loadNewestCheckpoint(List<Param> params, Optimizer optimizer, Consumer<String> log) throws IOException {
        List<Path> candidates = new ArrayList<>();
        try {
            Checkpoint.latest(dir).ifPresent(candidates::add);
        } catch (InputDataException e) {
            log.accept("latest checkpoint pointer is unusable: " + e.getMessage());
        }
        for (Path c : Checkpoint.list(dir)) {
            if (candidates.stream().noneMatch(x -> sameFile(x, c))) candidates.add(c);
        }
        boolean first = true;
        for (Path c : candidates) {
            try {
                TrainingState s = Checkpoint.load(c, params, optimizer);
                if (!first) log.accept("resuming from the newest complete checkpoint instead: " + dir.relativize(c));
                return java.util.Optional.of(new Loaded(c, s));
            } catch (InputDataException e) {
                log.accept("checkpoint " + dir.relativize(c) + " is incomplete or damaged, skipped: " + e.getMessage());
            }
            first = false;
        }
        return java.util.Optional.empty();
    }

    /** A checkpoint that loaded, and its state. */
    public record Loaded(Path checkpoint, TrainingState state) { }

    private static boolean sameFile(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
