package org.neurite.models.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.neurite.layers.GradCheck;
import org.neurite.layers.Mode;
import org.neurite.layers.rnn.CellType;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class RnnModelsTest {
    @Test void characterModelsHavePyTorchsParameterCounts() {
        // nn.LSTM(97, 256) + nn.Linear(256, 97): 4*256*(97+256) + 2*4*256 + 256*97 + 97.
        assertEquals(388_449, ModelZoo.get("char-lstm").build(new Rng(0)).parameterCount());
        // nn.GRU(97, 256) + nn.Linear(256, 97): 3*256*(97+256) + 2*3*256 + 24,929.
        assertEquals(297_569, ModelZoo.get("char-gru").build(new Rng(0)).parameterCount());
        // nn.RNN(97, 256) + nn.Linear(256, 97): 256*(97+256) + 2*256 + 24,929.
        assertEquals(115_809, ModelZoo.get("char-rnn").build(new Rng(0)).parameterCount());
    }

    @Test void shapesThroughTheSequenceModels() {
        Rng rng = new Rng(1);
        Tensor ids = Tensor.zeros(7, 3); // [T, N], all token 0
        assertEquals(Shape.of(7, 3, 97), CharLm.build(CellType.GRU, rng).forward(ids, Mode.EVAL).shape());
        assertEquals(Shape.of(3, 2), SequenceClassifier.build(50, 8, 6, 2, rng).forward(ids, Mode.EVAL).shape());
        assertEquals(Shape.of(7, 3, 17), SequenceTagger.build(50, 8, 6, 17, rng).forward(ids, Mode.EVAL).shape());
        Seq2Seq s2s = new Seq2Seq(new Seq2Seq.Config(30, 40, 8, 6, 2, 4), rng);
        assertEquals(Shape.of(3, 3, 40), s2s.forward(ids, Mode.EVAL).shape());
        assertEquals(Shape.of(3, 3, 40), s2s.outputShape(ids.shape()));
        // BiLSTM 100 -> 128: 2 * (4*128*(100+128) + 8*128) = 235,520; embedding 1,000,000; fc 256*2+2.
        assertEquals(1_000_000 + 235_520 + 514, ModelZoo.get("bilstm-classifier").build(new Rng(0)).parameterCount());
    }

    @Test void seq2seqGradientsReachTheEncoderThroughItsFinalState() {
        Rng rng = new Rng(2);
        Seq2Seq s2s = new Seq2Seq(new Seq2Seq.Config(5, 6, 3, 4, 2, 3), rng);
        Tensor ids = Tensor.zeros(5, 2); // 3 source steps, 2 decoder steps
        for (int i = 0; i < ids.size(); i++) ids.set(i, (i * 7 + 1) % 5);
        GradCheck.standard().check(s2s, ids, Mode.TRAIN, 4);
    }

    @Test void classifierAndTaggerGradients() {
        Rng rng = new Rng(3);
        Tensor ids = Tensor.zeros(4, 2);
        for (int i = 0; i < ids.size(); i++) ids.set(i, (i * 3 + 2) % 7);
        // Max over time has kinks where the maximum changes step: a small step crosses fewer of them.
        new GradCheck(1e-3, 2e-2, 2e-3).check(SequenceClassifier.build(7, 3, 4, 2, rng), ids, Mode.TRAIN, 5);
        GradCheck.standard().check(SequenceTagger.build(7, 3, 4, 5, rng), ids, Mode.TRAIN, 6);
    }
}
