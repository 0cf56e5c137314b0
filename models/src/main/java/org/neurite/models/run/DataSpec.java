package org.neurite.models.run;

import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@code --data} names: {@code mnist:DIR} (or a bare DIR: MNIST-style IDX files),
 * {@code cifar10:DIR} / {@code cifar100:DIR} (the binary versions), {@code folder:DIR} (image
 * folders {@code DIR/train/<class>/…} and {@code DIR/test/<class>/…}) or {@code text:FILE} (a
 * UTF-8 corpus for the character models). Null means the bundled sample of the model's kind.
 */
public record DataSpec(Kind kind, Path path) {
    public enum Kind { MNIST, CIFAR10, CIFAR100, FOLDER, TEXT }

    /** Reads a --data value; an unknown prefix is an error naming the known ones. */
    public static DataSpec parse(String value) {
        int colon = value.indexOf(':');
        if (colon > 0) {
            String prefix = value.substring(0, colon).toLowerCase(Locale.ROOT);
            Path path = Path.of(value.substring(colon + 1));
            return switch (prefix) {
                case "mnist" -> new DataSpec(Kind.MNIST, path);
                case "cifar10" -> new DataSpec(Kind.CIFAR10, path);
                case "cifar100" -> new DataSpec(Kind.CIFAR100, path);
                case "folder" -> new DataSpec(Kind.FOLDER, path);
                case "text" -> new DataSpec(Kind.TEXT, path);
                default -> throw new IllegalArgumentException("--data: unknown kind '" + prefix
                        + "' (expected mnist:DIR, cifar10:DIR, cifar100:DIR, folder:DIR, text:FILE or a bare DIR of IDX files)");
            };
        }
        return new DataSpec(Kind.MNIST, Path.of(value));
    }

    /** The spec of a configured data path, or null for the bundled sample. */
    public static DataSpec of(Path data) {
        return data == null ? null : parse(data.toString());
    }
}
