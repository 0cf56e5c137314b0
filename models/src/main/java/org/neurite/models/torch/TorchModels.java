package org.neurite.models.torch;

import java.util.List;
import java.util.Map;

/**
 * The PyTorch twins of the zoo's models: what a state_dict for each comes from, and which of its
 * keys have no counterpart in Neurite and are skipped on import. Any zoo model maps by name (the
 * builders use PyTorch's attribute names); these are the ones checked against real PyTorch
 * definitions (torchvision 0.14 key and shape lists in the tests).
 *
 * <p>Not mapped: {@code alexnet} is the 2012 paper's grouped network (Caffe's bvlc_alexnet names
 * {@code conv1} ... {@code fc8}); torchvision's {@code alexnet} is an ungrouped variant with other
 * widths, so neither names nor shapes agree. Import of such a file fails listing the keys.
 */
public final class TorchModels {
    /** A zoo model's PyTorch twin and the keys to skip on import. */
    public record Twin(String model, String pytorch, List<String> ignoredPrefixes, String note) { }

    private static final Map<String, Twin> TWINS = Map.ofEntries(
            twin("lenet5", "class LeNet5(nn.Module): conv1 Conv2d(1,6,5,padding=2), conv2 Conv2d(6,16,5), fc1 Linear(400,120), "
                    + "fc2 Linear(120,84), fc3 Linear(84,10); relu + max_pool2d(2) after each conv", List.of(), ""),
            twin("resnet18", "torchvision.models.resnet18()", List.of(), ""),
            twin("resnet34", "torchvision.models.resnet34()", List.of(), ""),
            twin("resnet50", "torchvision.models.resnet50()", List.of(), "v1.5: stride on the 3x3 convolution"),
            twin("vgg11", "torchvision.models.vgg11()", List.of(), "the adaptive 7x7 average pool is the identity at 224x224"),
            twin("vgg16", "torchvision.models.vgg16()", List.of(), "the adaptive 7x7 average pool is the identity at 224x224"),
            twin("densenet121", "torchvision.models.densenet121()", List.of(), ""),
            twin("googlenet", "torchvision.models.googlenet(aux_logits=False, init_weights=False)", List.of("aux1.", "aux2."),
                    "auxiliary heads skipped; stride-2 pools padded instead of ceil_mode (same sizes, windows shifted); "
                    + "weights trained with transform_input=True expect that input transform"),
            twin("char-rnn", "rnn = nn.RNN(97, 256), head = nn.Linear(256, 97) on one-hot input", List.of(), ""),
            twin("char-lstm", "rnn = nn.LSTM(97, 256), head = nn.Linear(256, 97) on one-hot input", List.of(), ""),
            twin("char-gru", "rnn = nn.GRU(97, 256), head = nn.Linear(256, 97) on one-hot input", List.of(), ""));

    private TorchModels() { }

    private static Map.Entry<String, Twin> twin(String model, String pytorch, List<String> ignored, String note) {
        return Map.entry(model, new Twin(model, pytorch, ignored, note));
    }

    /** The twin of zoo model {@code name}, or null when none is checked (the mapping by name still applies). */
    public static Twin twin(String name) { return TWINS.get(name); }

    /** Key prefixes to skip when importing into {@code name} (empty when none). */
    public static List<String> ignoredPrefixes(String name) {
        Twin t = TWINS.get(name);
        return t == null ? List.of() : t.ignoredPrefixes();
    }
}
