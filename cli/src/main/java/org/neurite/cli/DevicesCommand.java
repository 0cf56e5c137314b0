package org.neurite.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.neurite.runtime.CudaProbe;
import org.neurite.runtime.cuda.DeviceInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code neurite devices}: what Caffe's device_query shows — each GPU with its memory, compute
 * capability and library versions, or why none is usable and that the CPU backend will run.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the GPUs Neurite can use, or say why none is usable.",
        footer = {"", "Examples:", "  neurite devices", "  neurite devices --cuda-libs /opt/cudnn-9/lib"})
public final class DevicesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--cuda-libs", paramLabel = "DIR",
            description = "Folder with libcublasLt, libcublas and libcudnn (also: NEURITE_CUDA_LIBS).")
    Path cudaLibs;

    @Override public Integer call() {
        if (cudaLibs != null) CudaProbe.useLibraryDir(cudaLibs);
        PrintWriter out = spec.commandLine().getOut();
        for (String line : DeviceInfo.query().lines()) out.println(line);
        out.flush();
        return 0;
    }
}
