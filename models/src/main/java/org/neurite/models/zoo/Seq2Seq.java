package org.neurite.models.zoo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.Param;
import org.neurite.layers.cuda.ChannelCopy;
import org.neurite.layers.dense.Dense;
import org.neurite.layers.embedding.Embedding;
import org.neurite.layers.rnn.CellType;
import org.neurite.layers.rnn.Rnn;
import org.neurite.layers.sequence.TimeDistributed;
import org.neurite.runtime.Device;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * An encoder-decoder (Sutskever et al. 2014) trained with teacher forcing: an LSTM reads the source
 * and its final states (h, c) become the decoder LSTM's initial states; the decoder reads the target
 * shifted right and a dense layer predicts the next target token at every step.
 *
 * <p>One input tensor, so it trains like any module: {@code [Ts + Tt, N]} token ids, the first
 * {@link Config#sourceLength() Ts} rows the source, the rest the decoder's input; output
 * {@code [Tt, N, targetVocab]} logits, targets {@code [Tt, N]}. The backward carries the decoder's
 * initial-state gradients into the encoder as gradients of its final states. Parameters:
 * {@code src_embed.weight}, {@code encoder.weights}, {@code tgt_embed.weight}, {@code decoder.weights},
 * {@code head.weight}, {@code head.bias}.
 *
 * <p>On a CUDA device every part runs on its CUDA engine (embedding kernels, cuDNN's v8 RNN API with
 * the encoder's final states as the decoder's initial states, cuBLAS for the head); the ids are split
 * into source and decoder input by two device-to-device copies.
 */
public final class Seq2Seq extends Module {
    /** Sizes; the zoo's {@code seq2seq}: vocabularies 1,000, embedding 64, hidden 128, 2 layers, source 20. */
    public record Config(int sourceVocab, int targetVocab, int embed, int hidden, int layers, int sourceLength) {
        public Config {
            if (sourceVocab < 1 || targetVocab < 1 || embed < 1 || hidden < 1 || layers < 1 || sourceLength < 1) {
                throw new IllegalArgumentException("Seq2Seq sizes must be >= 1: " + this);
            }
        }

        public static Config standard() { return new Config(1000, 1000, 64, 128, 2, 20); }
    }

    public static final Shape INPUT = Shape.of(40);

    private final Config config;
    private final Embedding srcEmbed;
    private final Rnn encoder;
    private final Embedding tgtEmbed;
    private final Rnn decoder;
    private final TimeDistributed head;
    private final List<Param> params;
    private Tensor srcIds;      // [Ts, N]
    private Tensor tgtIds;      // [Tt, N]
    private Tensor encGrad;     // [Ts, N, H] zero: the loss does not read the encoder's outputs

    public Seq2Seq(Config c, Rng rng) {
        this.config = c;
        srcEmbed = new Embedding(c.sourceVocab(), c.embed(), rng);
        encoder = new Rnn(Rnn.Config.of(CellType.LSTM, c.embed(), c.hidden()).withLayers(c.layers()), rng);
        tgtEmbed = new Embedding(c.targetVocab(), c.embed(), rng);
        decoder = new Rnn(Rnn.Config.of(CellType.LSTM, c.embed(), c.hidden()).withLayers(c.layers()), rng);
        head = new TimeDistributed(new Dense(Dense.Config.of(c.hidden(), c.targetVocab()).withInit(Dense.WeightInit.PYTORCH_DEFAULT), rng));
        encoder.setNeedsInputGrad(true);
        List<Param> all = new ArrayList<>();
        String[] names = {"src_embed.", "encoder.", "tgt_embed.", "decoder.", "head."};
        Module[] mods = {srcEmbed, encoder, tgtEmbed, decoder, head};
        for (int i = 0; i < mods.length; i++) for (Param p : mods[i].params()) all.add(p.withPrefix(names[i]));
        this.params = Collections.unmodifiableList(all);
        this.needsInputGrad = false;
    }

    public static Seq2Seq build(Rng rng) { return new Seq2Seq(Config.standard(), rng); }

    public Config config() { return config; }

    public Rnn encoder() { return encoder; }

    public Rnn decoder() { return decoder; }

    @Override public Shape outputShape(Shape s) {
        return Shape.of(targetSteps(s), s.dim(1), config.targetVocab());
    }

    private int targetSteps(Shape s) {
        if (s.rank() != 2 || s.dim(0) <= config.sourceLength()) {
            throw new IllegalArgumentException("Seq2Seq expects [Ts + Tt, N] ids with Ts = " + config.sourceLength() + " and Tt >= 1, got " + s);
        }
        return s.dim(0) - config.sourceLength();
    }

    @Override public Tensor forward(Tensor x, Mode mode) {
        int tt = targetSteps(x.shape());
        int ts = config.sourceLength();
        int n = x.shape().dim(1);
        Device device = x.device();
        if (!Tensor.fits(srcIds, Shape.of(ts, n), device)) srcIds = replace(srcIds, Shape.of(ts, n), device);
        if (!Tensor.fits(tgtIds, Shape.of(tt, n), device)) tgtIds = replace(tgtIds, Shape.of(tt, n), device);
        // Two contiguous row ranges: System.arraycopy on the CPU, a device-to-device copy on a GPU.
        ChannelCopy.copy(x, 0, ts * n, srcIds, 0, ts * n, ts * n, 1);
        ChannelCopy.copy(x, ts * n, tt * n, tgtIds, 0, tt * n, tt * n, 1);
        encoder.forward(srcEmbed.forward(srcIds, mode), mode);
        Tensor dec = decoder.forward(tgtEmbed.forward(tgtIds, mode), encoder.finalHidden(), encoder.finalCell(), mode);
        return head.forward(dec, mode);
    }

    /** Returns null: token ids have no gradient. */
    @Override public Tensor backward(Tensor dY) {
        Tensor dDec = decoder.backward(head.backward(dY));
        tgtEmbed.backward(dDec);
        Shape encOut = encoder.outputShape(Shape.of(config.sourceLength(), srcIds.shape().dim(1), config.embed()));
        if (!Tensor.fits(encGrad, encOut, srcIds.device())) encGrad = replace(encGrad, encOut, srcIds.device());
        Tensor dEnc = encoder.backward(encGrad, decoder.initialHiddenGrad(), decoder.initialCellGrad());
        srcEmbed.backward(dEnc);
        return null;
    }

    // A zero buffer of shape s on device; a replaced device buffer goes back to its allocator.
    private static Tensor replace(Tensor old, Shape s, Device device) {
        if (old != null && !old.device().isCpu()) old.close();
        return Tensor.zeros(s, device);
    }

    @Override public List<Param> params() { return params; }

    @Override public List<Module> children() { return Arrays.asList(srcEmbed, encoder, tgtEmbed, decoder, head); }

    @Override public void zeroGrad() {
        for (Module m : children()) m.zeroGrad();
    }

    @Override public String describe() {
        return "Seq2Seq(LSTM " + config.embed() + " -> " + config.hidden() + " x" + config.layers() + ", vocab "
                + config.sourceVocab() + " -> " + config.targetVocab() + ", source " + config.sourceLength() + ")";
    }
}
