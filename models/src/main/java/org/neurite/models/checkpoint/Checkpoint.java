package org.neurite.models.checkpoint;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neurite.layers.Module;
import org.neurite.layers.Param;
import org.neurite.layers.norm.Buffers;
import org.neurite.layers.optim.Optimizer;
import org.neurite.models.data.InputDataException;
import org.neurite.runtime.Tensor;

/**
 * Saves and restores a training run: the model's parameters, the optimizer's state and the
 * trainer's {@link TrainingState}.
 *
 * <p>Layout of a run directory:
 * <pre>
 *   RUN_DIR/latest                                  one line: checkpoints/epoch-0003-step-000001875
 *   RUN_DIR/checkpoints/epoch-0003-step-000001875/
 *       model.safetensors       parameters by name (e.g. conv1.weight), F32, readable by PyTorch
 *       optimizer.safetensors   Optimizer.state() by name (moments)
 *       state.json              TrainingState, learning rate, optimizer steps, file names and SHA-256s
 * </pre>
 * Directory names sort in training order (epoch, then global step), so keeping the last K
 * ({@link #prune}) is a matter of listing them. Every file is written atomically
 * ({@link AtomicFiles}); {@code state.json} is written after the tensors it vouches for, and
 * {@code latest} last, so a crash during a save leaves {@code latest} on the previous complete
 * checkpoint.
 *
 * <pre>{@code
 * Checkpoint.save(runDir, model.params(), optimizer, state);
 * Optional<Path> last = Checkpoint.latest(runDir);
 * if (last.isPresent()) state = Checkpoint.load(last.get(), model.params(), optimizer);
 * }</pre>
 */
public final class Checkpoint {
    public static final String LATEST = "latest";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String WEIGHTS = "model.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String STATE = "state.json";
    /** Version of the state.json layout. */
    public static final int FORMAT = 1;

    private static final Pattern DIR_NAME = Pattern.compile("epoch-(\\d+)-step-(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES); // newer writers may add fields

    /** The contents of state.json. */
    record StateFile(int format, String modelName, int epoch, int batchInEpoch, long globalStep,
                     String optimizer, double learningRate, long optimizerSteps, byte[] rngState,
                     Map<String, String> config, String weightsFile, String weightsSha256,
                     String optimizerFile, String optimizerSha256, Map<String, Double> progress) { }

    private Checkpoint() { }

    /** The directory name of a checkpoint taken at {@code epoch} (next to run) and {@code globalStep}. */
    public static String dirName(int epoch, long globalStep) {
        return String.format("epoch-%04d-step-%09d", epoch, globalStep);
    }

    /**
     * Everything a checkpoint stores for {@code model}: its parameters and its buffers (batch
     * norm's running statistics, which are not learnable but must survive a save and a load), by
     * qualified name, as a PyTorch state_dict holds them. Pass this, not {@code params()}, to
     * {@link #save}, {@link #load} and {@link #loadWeights}.
     */
    public static List<Param> tensorsOf(Module model) {
        List<Param> all = new ArrayList<>(model.params());
        for (Map.Entry<String, Tensor> b : Buffers.of(model).entrySet()) all.add(Param.of(b.getKey(), b.getValue()));
        return all;
    }

    /**
     * Saves a checkpoint under {@code runDir/checkpoints/} and points {@code runDir/latest} at it.
     * {@code optimizer} may be null (weights only). Returns the checkpoint directory.
     */
    public static Path save(Path runDir, List<Param> params, Optimizer optimizer, TrainingState state) throws IOException {
        String name = dirName(state.epoch(), state.globalStep());
        Path dir = runDir.resolve(CHECKPOINTS).resolve(name);
        boolean existed = Files.isDirectory(dir);
        try {
            Files.createDirectories(dir);
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", "pt"); // what Hugging Face writes for PyTorch weights
            if (state.modelName() != null) meta.put("model", state.modelName());
            String weightsSha = writeHashed(dir.resolve(WEIGHTS), byName(params), meta);
            String optimizerSha = optimizer == null ? null : writeHashed(dir.resolve(OPTIMIZER), optimizer.state(), Map.of());
            StateFile s = new StateFile(FORMAT, state.modelName(), state.epoch(), state.batchInEpoch(), state.globalStep(),
                    state.optimizerName(), optimizer == null ? 0 : optimizer.learningRate(), optimizer == null ? 0 : optimizer.steps(),
                    state.rngState(), state.config(), WEIGHTS, weightsSha, optimizer == null ? null : OPTIMIZER, optimizerSha,
                    state.progress());
            AtomicFiles.write(dir.resolve(STATE), out -> JSON.writeValue(new NonClosing(out), s));
            AtomicFiles.writeString(runDir.resolve(LATEST), CHECKPOINTS + "/" + name + "\n");
        } catch (IOException | RuntimeException e) {
            // latest still names the previous checkpoint; a half-written new one must not look like a candidate
            if (!existed) deleteQuietly(dir);
            throw e;
        }
        return dir;
    }

    private static void deleteQuietly(Path dir) {
        try {
            if (Files.isDirectory(dir)) deleteTree(dir);
        } catch (IOException ignored) {
            // best effort: a directory without state.json is skipped when resuming anyway
        }
    }

    /**
     * Every checkpoint directory of {@code runDir}, newest first (by epoch, then step), complete
     * or not; resuming tries them in this order after {@code latest}.
     */
    public static List<Path> list(Path runDir) throws IOException {
        Path root = runDir.resolve(CHECKPOINTS);
        if (!Files.isDirectory(root)) return List.of();
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) if (Files.isDirectory(p) && DIR_NAME.matcher(p.getFileName().toString()).matches()) dirs.add(p);
        }
        dirs.sort((a, b) -> compareProgress(b.getFileName().toString(), a.getFileName().toString()));
        return dirs;
    }

    /** Writes parameters alone, e.g. for export; {@code metadata} goes into the safetensors header. */
    public static void saveWeights(Path file, List<Param> params, Map<String, String> metadata) throws IOException {
        SafeTensors.write(file, byName(params), metadata);
    }

    /** The checkpoint {@code runDir/latest} points to, or empty when the run has none yet. */
    public static Optional<Path> latest(Path runDir) throws InputDataException {
        Path pointer = runDir.resolve(LATEST);
        if (!Files.exists(pointer)) return Optional.empty();
        String target;
        try {
            target = Files.readString(pointer).trim();
        } catch (IOException e) {
            throw InputDataException.in(pointer.toString(), "cannot read: " + e.getMessage());
        }
        Path dir = runDir.resolve(target);
        if (target.isEmpty() || !Files.isRegularFile(dir.resolve(STATE))) {
            throw InputDataException.in(pointer.toString(), "points to '" + target + "', which holds no " + STATE);
        }
        return Optional.of(dir);
    }

    /** Reads {@code dir/state.json} without touching any model. */
    public static TrainingState readState(Path dir) throws InputDataException {
        StateFile s = readStateFile(dir.resolve(STATE));
        return new TrainingState(s.modelName(), s.optimizer(), s.epoch(), s.batchInEpoch(), s.globalStep(), s.rngState(), s.config(),
                s.progress());
    }

    /**
     * Restores {@code params} (and {@code optimizer}, unless null) from checkpoint directory
     * {@code dir} and returns the training state. Everything is read and checked (hashes, names,
     * shapes) before anything is changed, so a failed load leaves the model as it was.
     */
    public static TrainingState load(Path dir, List<Param> params, Optimizer optimizer) throws InputDataException {
        Path statePath = dir.resolve(STATE);
        StateFile s = readStateFile(statePath);
        Map<String, Tensor> weights = readHashed(dir.resolve(s.weightsFile()), s.weightsSha256(), statePath);
        ParamMatch.check(dir.resolve(s.weightsFile()), weights, byName(params));
        Map<String, Tensor> moments = null;
        if (optimizer != null) {
            if (s.optimizerFile() == null) throw InputDataException.in(statePath.toString(), "no optimizer state was saved");
            moments = readHashed(dir.resolve(s.optimizerFile()), s.optimizerSha256(), statePath);
            Map<String, Tensor> live = optimizer.state();
            if (!live.isEmpty()) ParamMatch.check(dir.resolve(s.optimizerFile()), moments, live);
        }
        for (Param p : params) p.value().copyFrom(weights.get(p.name()));
        if (optimizer != null) {
            optimizer.loadState(moments, s.optimizerSteps());
            optimizer.setLearningRate(s.learningRate());
        }
        return new TrainingState(s.modelName(), s.optimizer(), s.epoch(), s.batchInEpoch(), s.globalStep(), s.rngState(), s.config(),
                s.progress());
    }

    /** Loads parameters from a safetensors file (a checkpoint's or an exported one); names and shapes must match. */
    public static void loadWeights(Path file, List<Param> params) throws InputDataException {
        Map<String, Tensor> weights = SafeTensors.read(file).tensors();
        ParamMatch.check(file, weights, byName(params));
        for (Param p : params) p.value().copyFrom(weights.get(p.name()));
    }

    /**
     * Deletes all but the newest {@code keep} checkpoints of {@code runDir} (by epoch, then step),
     * never the one {@code latest} points to. Returns the directories deleted.
     */
    public static List<Path> prune(Path runDir, int keep) throws IOException {
        if (keep < 1) throw new IllegalArgumentException("keep must be >= 1, got " + keep);
        Path root = runDir.resolve(CHECKPOINTS);
        if (!Files.isDirectory(root)) return List.of();
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) if (Files.isDirectory(p) && DIR_NAME.matcher(p.getFileName().toString()).matches()) dirs.add(p);
        }
        dirs.sort((a, b) -> compareProgress(a.getFileName().toString(), b.getFileName().toString()));
        Path current;
        try {
            current = latest(runDir).map(p -> p.toAbsolutePath().normalize()).orElse(null);
        } catch (InputDataException e) {
            current = null;
        }
        List<Path> deleted = new ArrayList<>();
        for (Path d : dirs.subList(0, Math.max(0, dirs.size() - keep))) {
            if (d.toAbsolutePath().normalize().equals(current)) continue;
            deleteTree(d);
            deleted.add(d);
        }
        return deleted;
    }

    private static int compareProgress(String a, String b) {
        Matcher ma = DIR_NAME.matcher(a), mb = DIR_NAME.matcher(b);
        ma.matches();
        mb.matches();
        int c = Long.compare(Long.parseLong(ma.group(1)), Long.parseLong(mb.group(1)));
        return c != 0 ? c : Long.compare(Long.parseLong(ma.group(2)), Long.parseLong(mb.group(2)));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) Files.delete(p); // checkpoint directories are flat
        }
        Files.delete(dir);
    }

    /** Parameters by name, in model order; duplicate names would silently share a slot, so they are an error. */
    private static Map<String, Tensor> byName(List<Param> params) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Param p : params) {
            if (m.put(p.name(), p.value()) != null) throw new IllegalArgumentException("two parameters named " + p.name());
        }
        return m;
    }

    private static String writeHashed(Path file, Map<String, Tensor> tensors, Map<String, String> meta) throws IOException {
        MessageDigest sha = sha256();
        AtomicFiles.write(file, out -> SafeTensors.write(new DigestOutputStream(out, sha), tensors, meta));
        return HexFormat.of().formatHex(sha.digest());
    }

    private static Map<String, Tensor> readHashed(Path file, String expectedSha, Path statePath) throws InputDataException {
        if (expectedSha != null) {
            String actual = sha256Of(file);
            if (!actual.equalsIgnoreCase(expectedSha)) {
                throw InputDataException.in(file.toString(), "SHA-256 " + actual + " differs from " + expectedSha
                        + " recorded in " + statePath + " (file replaced or damaged)");
            }
        }
        return SafeTensors.read(file).tensors();
    }

    /** Hex SHA-256 of a file's bytes. */
    public static String sha256Of(Path file) throws InputDataException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
        } catch (NoSuchFileException e) {
            throw InputDataException.in(file.toString(), "no such file");
        } catch (IOException e) {
            throw InputDataException.in(file.toString(), "cannot read: " + e.getMessage());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static StateFile readStateFile(Path file) throws InputDataException {
        StateFile s;
        try {
            s = JSON.readValue(file.toFile(), StateFile.class);
        } catch (IOException e) {
            if (!Files.exists(file)) throw InputDataException.in(file.toString(), "no such file");
            throw InputDataException.in(file.toString(), "not a valid checkpoint state: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (s.format() != FORMAT) throw InputDataException.in(file.toString(), "format " + s.format() + " is not " + FORMAT);
        if (s.epoch() < 0 || s.batchInEpoch() < 0 || s.globalStep() < 0 || s.optimizerSteps() < 0) {
            throw InputDataException.in(file.toString(), "negative progress: epoch " + s.epoch() + ", batch " + s.batchInEpoch()
                    + ", step " + s.globalStep() + ", optimizer steps " + s.optimizerSteps());
        }
        checkFileName(file, "weightsFile", s.weightsFile());
        if (s.optimizerFile() != null) checkFileName(file, "optimizerFile", s.optimizerFile());
        return s;
    }

    /** The files a checkpoint names must lie in its own directory. */
    private static void checkFileName(Path stateFile, String field, String name) throws InputDataException {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw InputDataException.in(stateFile.toString(), field + " '" + name + "' is not a plain file name");
        }
    }

    /** Lets Jackson close its generator without closing the atomic writer's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(java.io.OutputStream out) { super(out); }

        @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }

        @Override public void close() throws IOException { flush(); }
    }
}
