using Microsoft.ML;
using Mlx.Estimators.Tests.Trainers;
using Mlx.TestSupport;
using Xunit;

namespace Mlx.Estimators.Tests.Compatibility;

/// <summary>
/// A saved network whose payload was altered (a valid zip) fails to load with an error naming the component and the
/// entry, never with a raw low-level exception and never by scoring NaN.
/// </summary>
public class DamagedModelTests
{
    private static (MLContext Ml, byte[] Zip) Saved()
    {
        var ml = new MLContext(seed: 1);
        var data = Datasets.Wine(ml);
        var model = ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { Layers = new Layer[] { Layer.Dense(4, Activation.Relu) }, Epochs = 1, Seed = 1, Threads = 1 }).Fit(data);
        return (ml, SavedModelBytes.Save(ml, model, data.Schema));
    }

    [Fact]
    public void Altered_weights_fail_their_checksum()
    {
        var (ml, zip) = Saved();
        // Flip one byte in the middle of the weights stream: TorchSharp would still load it.
        var damaged = SavedModelBytes.Edit(zip, (name, bytes) =>
        {
            if (!name.Contains("Weights", StringComparison.OrdinalIgnoreCase))
                return null;
            bytes[bytes.Length / 2] ^= 0x40;
            return bytes;
        });
        var error = SavedModelBytes.LoadFails(ml, damaged);
        Assert.Contains("MlxNeuralNetwork", error.Message);
        Assert.Contains("SHA-256", error.Message);
    }

    [Fact]
    public void An_altered_feature_size_fails_the_state_checksum()
    {
        var (ml, zip) = Saved();
        // "Features" (length-prefixed) is followed by the feature count, 13 for wine: make it -5.
        var features = new byte[] { 8 }.Concat("Features"u8.ToArray()).ToArray();
        var damaged = SavedModelBytes.Replace(zip, features.Concat(BitConverter.GetBytes(13)).ToArray(), features.Concat(BitConverter.GetBytes(-5)).ToArray());
        var error = SavedModelBytes.LoadFails(ml, damaged);
        // The sealed state's checksum catches it before the size is read (formats before it: "-5 features ... cannot be right").
        Assert.Contains("component MlxNeuralNetwork, its saved state", error.Message);
        Assert.Contains("SHA-256", error.Message);
    }

    [Fact]
    public void A_garbled_string_length_is_reported_not_thrown_raw()
    {
        var (ml, zip) = Saved();
        // The feature column name's length prefix says 127: every later read is misaligned.
        var damaged = SavedModelBytes.Replace(zip, new byte[] { 8 }.Concat("Features"u8.ToArray()).ToArray(), new byte[] { 127 }.Concat("Features"u8.ToArray()).ToArray());
        var error = SavedModelBytes.LoadFails(ml, damaged);
        Assert.Contains("The saved model is damaged: component MlxNeuralNetwork", error.Message);
    }
}
