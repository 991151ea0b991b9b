using System.Text;
using System.Text.Json;
using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Training.Checkpoints;
using EdgeVision.Training.Runs;

namespace EdgeVision.Training.Tests;

/// <summary>
/// The checkpoint layout is what existing files on disk hold: <see cref="CheckpointFile"/> (now a
/// <see cref="NamedTensorFile"/>) must keep writing it byte for byte, spelled out here field by field.
/// </summary>
public sealed class CheckpointFormatTests
{
    [Fact]
    public void A_checkpoint_is_written_byte_for_byte_in_the_documented_layout_and_reads_back()
    {
        using var dir = new TempDirectory();
        var state = new CheckpointState
        {
            Options = new TrainingOptions { Architecture = "resnet8" }, Architecture = "resnet8", InputChannels = 1, Labels = ["a", "b"],
            Color = ColorMode.Grey, Mean = [0.5f], Std = [0.25f], InputHeight = 28, InputWidth = 28, Dataset = "fashion-mnist", Epoch = 2,
            History = [new EpochResult(1, 0.5, 0.8, double.NaN, double.NaN, double.NaN, 0.1, 1, 2)], SavedAt = DateTimeOffset.UnixEpoch,
        };
        var weight = new TensorData([1f, -2f, 3.5f, 0f, 5f, 6f], [2, 3]);
        var bias = new TensorData([0.25f, -0.75f], [2]);
        var momentum = new TensorData([9f, 8f], [2]);
        var checkpoint = new Checkpoint(state, new Dictionary<string, TensorData> { ["fc.weight"] = weight, ["fc.bias"] = bias },
            new Dictionary<string, TensorData> { ["fc.bias"] = momentum });
        CheckpointFile.Save(checkpoint, dir.File("c.ckpt"));

        using var expected = new MemoryStream();
        using (var w = new BinaryWriter(expected, Encoding.UTF8, leaveOpen: true))
        {
            w.Write("EVCKPT"u8);
            w.Write(1);
            byte[] header = JsonSerializer.SerializeToUtf8Bytes(state, CheckpointFile.Json);
            w.Write(header.Length);
            w.Write(header);
            w.Write(3);
            foreach (var (name, tensor) in new[] { ("fc.weight", weight), ("fc.bias", bias), ("optim:fc.bias", momentum) })
            {
                w.Write(name);
                w.Write(tensor.Shape.Length);
                foreach (int d in tensor.Shape) w.Write(d);
                foreach (float v in tensor.Data) w.Write(v);
            }
        }
        Assert.Equal(expected.ToArray(), File.ReadAllBytes(dir.File("c.ckpt")));

        var loaded = CheckpointFile.Load(dir.File("c.ckpt"));
        Assert.Equal(weight.Data, loaded.Weights["fc.weight"].Data);
        Assert.Equal([2, 3], loaded.Weights["fc.weight"].Shape);
        Assert.Equal(momentum.Data, loaded.Momentum["fc.bias"].Data);
        Assert.Equal(2, loaded.Weights.Count);
        Assert.Equal(2, loaded.State.Epoch);
        Assert.True(double.IsNaN(loaded.State.History[0].ValidationLoss));
    }

    [Fact]
    public void A_file_of_another_kind_is_refused_as_not_a_checkpoint()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("x.ckpt"), "EVXFER\u0001\0\0\0"u8.ToArray());
        var e = Assert.Throws<InvalidDataException>(() => CheckpointFile.Load(dir.File("x.ckpt")));
        Assert.Contains("x.ckpt is not an EdgeVision checkpoint", e.Message);
    }
}
