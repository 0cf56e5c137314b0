package org.neurite.runtime.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The optional folder holding NVIDIA's cuBLAS and cuDNN libraries ({@code --cuda-libs DIR} or the
 * environment variable {@code NEURITE_CUDA_LIBS}). Loading them by absolute path before JCublas2
 * and JCudnn are first touched lets those classes find them without {@code LD_LIBRARY_PATH}.
 */
public final class CudaLibraries {
    /** The environment variable naming the folder when no option is given. */
    public static final String ENV = "NEURITE_CUDA_LIBS";

    /** Loaded in this order: libcublas needs libcublasLt. */
    public static final List<String> LIBRARIES = List.of("libcublasLt.so.12", "libcublas.so.12", "libcudnn.so.9");

    /** A library of the configured folder is missing or failed to load. */
    public static final class LoadException extends RuntimeException {
        LoadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static Path dir;

    private CudaLibraries() { }

    /** Sets the folder (null: none, use the environment variable or the loader path). */
    public static synchronized void useDir(Path folder) {
        dir = folder;
    }

    /** The folder in effect: the one set, else {@code NEURITE_CUDA_LIBS}, else null. */
    public static synchronized Path dir() {
        if (dir != null) return dir;
        String env = System.getenv(ENV);
        return env == null || env.isBlank() ? null : Path.of(env.trim());
    }

    /** Loads {@link #LIBRARIES} from {@link #dir()}; does nothing when no folder is set. */
    public static void load() {
        Path d = dir();
        if (d == null) return;
        for (String name : LIBRARIES) {
            Path lib = d.resolve(name).toAbsolutePath();
            if (!Files.isRegularFile(lib)) {
                throw new LoadException(name + " not found in " + d + " (--cuda-libs / " + ENV + ")", null);
            }
            if (!isElf(lib)) throw new LoadException(lib + " is not a shared library", null);
            try {
                System.load(lib.toString());
            } catch (Throwable t) {
                throw new LoadException(lib + " failed to load: " + CudaReasons.describe(t), t);
            }
        }
    }

    /** Checks the ELF magic first: the JVM prints stack-guard warnings when asked to load other files. */
    private static boolean isElf(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(4), new byte[] {0x7f, 'E', 'L', 'F'});
        } catch (IOException e) {
            return false;
        }
    }
}
