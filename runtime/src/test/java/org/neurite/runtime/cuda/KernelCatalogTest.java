package org.neurite.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The committed PTX on the class path matches the catalog: a missing, renamed or unlisted kernel,
 * or PTX a CUDA 12 driver cannot load, fails here, on machines without a GPU.
 */
class KernelCatalogTest {
    private static final Pattern ENTRY = Pattern.compile("^\\.visible \\.entry (\\w+)\\(", Pattern.MULTILINE);

    private static String text(KernelCatalog module) {
        byte[] ptx = module.ptx();
        assertEquals(0, ptx[ptx.length - 1], "cuModuleLoadData needs a NUL-terminated image");
        return new String(ptx, 0, ptx.length - 1, StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @EnumSource(KernelCatalog.class)
    void ptxTargetsCuda12DriversAndTuring(KernelCatalog module) {
        String ptx = text(module);
        assertTrue(ptx.lines().anyMatch(l -> l.equals(".version 8.5")), module.resource() + " must declare .version 8.5");
        assertTrue(ptx.lines().anyMatch(l -> l.equals(".target sm_75")), module.resource() + " must declare .target sm_75");
        assertTrue(ptx.lines().anyMatch(l -> l.equals(".address_size 64")), module.resource());
    }

    @ParameterizedTest
    @EnumSource(KernelCatalog.class)
    void ptxShipsInTheRuntimeBesideTheClassThatLoadsIt(KernelCatalog module) {
        String runtime = KernelCatalog.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        java.net.URL ptx = KernelCatalog.class.getResource(module.resource());
        assertTrue(ptx != null && ptx.toString().contains(runtime), module.resource() + " at " + ptx + ", not in " + runtime);
    }

    @ParameterizedTest
    @EnumSource(KernelCatalog.class)
    void everyListedKernelIsAnEntryAndNoEntryIsUnlisted(KernelCatalog module) {
        List<String> entries = new ArrayList<>();
        Matcher m = ENTRY.matcher(text(module));
        while (m.find()) entries.add(m.group(1));
        assertEquals(module.kernels().stream().sorted().toList(), entries.stream().sorted().toList(),
                module.resource() + ": .entry names vs KernelCatalog." + module.name());
    }
}
