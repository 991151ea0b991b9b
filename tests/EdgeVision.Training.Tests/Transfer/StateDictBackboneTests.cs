using System.Diagnostics;
using System.Runtime.InteropServices;
using EdgeVision.Core.Model;
using EdgeVision.Training.Transfer;

namespace EdgeVision.Training.Tests.Transfer;

/// <summary>
/// A torchvision state dict, written by real PyTorch (Debian's python3-torch 1.13 / torchvision 0.14) with random
/// weights and BN statistics, read through TorchSharp.PyBridge (.pth) or as .safetensors, mapped to TorchSharp,
/// gives PyTorch's own features for the same input — and ORT's on the backbone graph built from it.
/// </summary>
public sealed class StateDictBackboneTests : IDisposable
{
    private const int Size = 64;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private void WriteReference()
    {
        string script = Path.Combine(AppContext.BaseDirectory, "Transfer", "torchvision_reference.py");
        using var process = Process.Start(new ProcessStartInfo(PythonTorchFactAttribute.Python, [script, _dir.Path, Size.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true, RedirectStandardOutput = true,
        })!;
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"the reference script failed: {errors}");
    }

    private static float[] ReadFloats(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();

    [PythonTorchFact]
    public void A_torchvision_state_dict_maps_to_PyTorchs_own_features_from_pth_and_safetensors()
    {
        WriteReference();
        float[] x = ReadFloats(_dir.File("input.bin"));
        float[] expected = ReadFloats(_dir.File("features.bin"));
        Assert.Equal(2 * 512, expected.Length);
        foreach (string file in new[] { "resnet18.pth", "resnet18.safetensors" })
        {
            var backbone = StateDictBackbone.Load(_dir.File(file), "resnet18", Size);
            Assert.Equal(512, backbone.FeatureCount);
            Assert.Equal(ColorMode.Rgb, backbone.Preprocessing.ChannelOrder);
            using var network = new OnnxNetwork(backbone.Graph, backbone.FeatureName);
            float[] features = OnnxNetworkTests.Features(network, x, [2, 3, Size, Size]);
            Assert.True(OnnxNetworkTests.MaxAbsDiff(expected, features) <= 1e-4, $"{file}: max |PyTorch − TorchSharp| = {OnnxNetworkTests.MaxAbsDiff(expected, features)}");
            using var ort = new OrtGraph(backbone.Graph);
            float[] viaOrt = ort.Run(backbone.InputName, x, [2, 3, Size, Size], backbone.FeatureName);
            Assert.True(OnnxNetworkTests.MaxAbsDiff(expected, viaOrt) <= 1e-4, $"{file}: max |PyTorch − ORT| = {OnnxNetworkTests.MaxAbsDiff(expected, viaOrt)}");
        }
    }

    [PythonTorchFact]
    public void A_state_dict_of_another_architecture_is_refused_naming_the_tensor_that_does_not_fit()
    {
        WriteReference();
        var e = Assert.Throws<ModelContractException>(() => StateDictBackbone.Load(_dir.File("resnet18.pth"), "resnet34", Size));
        Assert.Contains("resnet34", e.Message);
        Assert.Contains("layer1.2", e.Message); // resnet34 has 3 blocks in layer1; the file has 2
    }

    [Fact]
    public void A_truncated_or_foreign_state_dict_file_is_a_clear_error_naming_it()
    {
        string path = _dir.File("broken.pth");
        File.WriteAllBytes(path, [0x50, 0x4B, 0x03, 0x04, 1, 2, 3]);
        var e = Assert.Throws<ModelContractException>(() => StateDictBackbone.Load(path, "resnet18", Size));
        Assert.Contains("broken.pth", e.Message);
        Assert.Contains("cannot be read", e.Message);
        string safetensors = _dir.File("short.safetensors");
        File.WriteAllBytes(safetensors, [1, 0, 0]);
        Assert.Contains("short.safetensors", Assert.Throws<ModelContractException>(() => StateDictBackbone.Load(safetensors, "resnet18", Size)).Message);
    }
}
