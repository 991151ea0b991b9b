using System.Collections;
using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Onnx;
using EdgeVision.Onnx.Pretrained;
using EdgeVision.Training.Model;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace EdgeVision.Training.Transfer;

/// <summary>
/// A PyTorch / torchvision state dict (<c>.pth</c> from <c>torch.save(model.state_dict())</c>, or <c>.safetensors</c>)
/// as a pretrained backbone. TorchSharp.PyBridge reads the file (the pickle/zip and safetensors formats are its whole
/// job, and it is the library TorchSharp points to); the tensors fill our zoo's network of the same architecture,
/// whose parameter names are torchvision's (conv1, bn1, layer1.0.conv1, layer2.0.downsample.0, fc, …); our writer
/// turns that into a float NCHW ONNX classifier, and from there it is the same path as any ONNX backbone: head cut,
/// torchvision's ImageNet preprocessing, mapped to TorchSharp by <see cref="OnnxNetwork"/>.
/// </summary>
public static class StateDictBackbone
{
    public static bool IsStateDict(string path) =>
        path.EndsWith(".pth", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pt", StringComparison.OrdinalIgnoreCase) ||
        path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);

    /// <param name="arch">The zoo architecture the state dict is of (resnet18, resnet50, …).</param>
    /// <param name="size">The square input size the graph is written for (ImageNet: 224).</param>
    public static PretrainedBackbone Load(string path, string arch, int size = 224)
    {
        if (!File.Exists(path)) throw new ModelContractException($"pretrained state dict '{path}': file not found");
        ResNetSpec template;
        try
        {
            template = ResNetZoo.Create(arch, 3, 1000);
        }
        catch (ArgumentException e)
        {
            throw new ModelContractException($"pretrained state dict '{path}': --arch {arch} is not a zoo architecture ({e.Message})");
        }
        using var scope = NewDisposeScope();
        var tensors = Read(path);
        if (!tensors.TryGetValue("fc.weight", out var fc) || fc.dim() != 2)
            throw new ModelContractException($"pretrained state dict '{path}': no 2-D 'fc.weight' — not a torchvision-layout classifier state dict for {arch}");
        var spec = template with { NumClasses = checked((int)fc.shape[0]) };
        using var network = new ResNetNetwork(spec);
        Copy(tensors, network, path, arch);
        var reference = ContractModelFactory.CreateResNetReference(spec, NetworkWeights.ToWeightSource(network), size, size, ReferenceHead.Logits);
        return OnnxBackbone.FromClassifier(reference, path, BackbonePreprocessing.TorchvisionImageNet, Path.GetFileNameWithoutExtension(path));
    }

    private static Dictionary<string, Tensor> Read(string path)
    {
        try
        {
            if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) return Safetensors.LoadStateDict(path);
            using var stream = File.OpenRead(path);
            var table = PyTorchUnpickler.UnpickleStateDict(stream);
            var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in table)
            {
                if (entry.Value is not Tensor t) throw new ModelContractException($"pretrained state dict '{path}': entry '{entry.Key}' is not a tensor");
                result[(string)entry.Key] = t;
            }
            return result;
        }
        catch (Exception e) when (e is not ModelContractException)
        {
            throw new ModelContractException($"pretrained state dict '{path}': cannot be read ({e.GetType().Name}: {e.Message})");
        }
    }

    // Every parameter and buffer of the network must be in the file with its shape; extra keys are refused too, so a
    // state dict of another architecture is an error naming the first tensor that does not fit, not a silent partial load.
    private static void Copy(Dictionary<string, Tensor> tensors, ResNetNetwork network, string path, string arch)
    {
        var targets = network.named_parameters().Select(p => (p.name, (Tensor)p.parameter))
            .Concat(network.named_buffers().Select(b => (b.name, b.buffer)))
            .ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);
        var extra = tensors.Keys.Where(k => !targets.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (extra.Count > 0) throw new ModelContractException($"pretrained state dict '{path}': '{extra[0]}' is not a tensor of {arch} ({extra.Count} unexpected keys)");
        using var noGrad = torch.no_grad();
        foreach (var (name, target) in targets)
        {
            if (!tensors.TryGetValue(name, out var source)) throw new ModelContractException($"pretrained state dict '{path}': '{name}' of {arch} is missing");
            if (!source.shape.SequenceEqual(target.shape))
                throw new ModelContractException($"pretrained state dict '{path}': '{name}' has shape [{string.Join(", ", source.shape)}], {arch} needs [{string.Join(", ", target.shape)}]");
            target.copy_(source.to(target.dtype));
        }
    }
}
