package io.recur.model;

import io.recur.config.ModelSpec;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds the network for a task: [embedding] → recurrent layers → output.
 *
 * <ul>
 *   <li>classify: the last recurrent layer is read at each sequence's last real step
 *       ({@link LastTimeStep} respects the mask; a bidirectional layer is read at both ends,
 *       {@link BidirectionalEnds}), then a softmax layer over the classes;</li>
 *   <li>lm: a softmax over the vocabulary at every step, sparse cross-entropy on target ids;</li>
 *   <li>tag: a softmax over the tags at every step, sparse cross-entropy on tag ids;</li>
 *   <li>sequence-regression, sequence-product (adding and multiplication problems): read at the
 *       last step like classify, then one identity unit with mean squared error;</li>
 *   <li>sequence-copy: a softmax over the symbols at every step, sparse cross-entropy on symbol ids.</li>
 * </ul>
 */
public final class NetworkFactory {
    private NetworkFactory() {}

    public static MultiLayerNetwork create(ModelSpec spec, NetworkShape shape, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(configure(spec, shape, seed));
        net.init();
        if (spec.chronoInitSteps() > 0) ChronoInitialisation.apply(net, spec.chronoInitSteps());
        return net;
    }

    /**
     * The number of parameters {@link #create} would give the network, counted from its layer
     * configurations without allocating them.
     */
    public static long parameterCount(ModelSpec spec, NetworkShape shape) {
        MultiLayerConfiguration conf = configure(spec, shape, 0);
        long count = 0;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            var layer = conf.getConf(i);
            count += layer.getLayer().initializer().numParams(layer);
        }
        return count;
    }

    public static MultiLayerConfiguration configure(ModelSpec spec, NetworkShape shape, long seed) {
        var builder = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(updater(spec))
                .weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .l2(spec.l2());
        if (spec.gradientClip() > 0) {
            builder.gradientNormalization(GradientNormalization.ClipL2PerLayer)
                    .gradientNormalizationThreshold(spec.gradientClip());
        }
        var layers = builder.list();
        int in = shape.inputSize();
        if (spec.embeddingSize() > 0) {
            layers.layer(new EmbeddingSequenceLayer.Builder()
                    .nIn(in).nOut(spec.embeddingSize()).build());
            in = spec.embeddingSize();
        }
        int directions = spec.bidirectional() ? 2 : 1;
        for (int i = 0; i < spec.layers(); i++) {
            dropout(layers, spec);
            Layer cell = recurrent(spec, in);
            boolean readsLast = shape.head().manyToOne() && i == spec.layers() - 1;
            if (spec.bidirectional()) {
                var both = new Bidirectional(Bidirectional.Mode.CONCAT, cell);
                cell = readsLast ? new BidirectionalEnds(both) : both;
            } else if (readsLast) {
                cell = new LastTimeStep(cell);
            }
            layers.layer(cell);
            in = spec.hiddenSize() * directions;
        }
        dropout(layers, spec);
        layers.layer(output(shape, in));
        return layers.build();
    }

    private static Layer recurrent(ModelSpec spec, int nIn) {
        return new FusedRecurrent.Builder(spec.cell()).nIn(nIn).nOut(spec.hiddenSize()).build();
    }

    private static Layer output(NetworkShape shape, int nIn) {
        return switch (shape.head()) {
            case VALUE_AT_LAST_STEP -> new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                    .nIn(nIn).nOut(shape.outputSize()).activation(Activation.IDENTITY).build();
            case CLASS_AT_LAST_STEP -> new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                    .nIn(nIn).nOut(shape.outputSize()).activation(Activation.SOFTMAX).build();
            // The data format must be explicit: left unset, M2 reads the labels as [batch, steps, size].
            case CLASS_PER_STEP -> new RnnOutputLayer.Builder(LossFunctions.LossFunction.SPARSE_MCXENT)
                    .dataFormat(RNNFormat.NCW).nIn(nIn).nOut(shape.outputSize()).activation(Activation.SOFTMAX).build();
        };
    }

    /** Dropout on the input of the next layer; see {@link SequenceDropout} for why it is a layer. */
    private static void dropout(NeuralNetConfiguration.ListBuilder layers, ModelSpec spec) {
        // DL4J takes the probability of RETAINING an activation; the spec says dropping.
        if (spec.dropout() > 0) layers.layer(new SequenceDropout(1.0 - spec.dropout()));
    }

    private static IUpdater updater(ModelSpec spec) {
        double lr = spec.learningRate();
        return switch (spec.updater()) {
            case ADAM -> new Adam(lr);
            case RMSPROP -> new RmsProp(lr);
            case SGD -> new Sgd(lr);
            case NESTEROVS -> new Nesterovs(lr, 0.9);
        };
    }
}
