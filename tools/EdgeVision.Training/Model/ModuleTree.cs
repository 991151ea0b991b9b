using static TorchSharp.torch;

namespace EdgeVision.Training.Model;

/// <summary>
/// Registers layers under dotted plan names ("features.denseblock1.denselayer1.norm1"), creating the containers in
/// between, so a family's module can hold its leaf layers flat (in the plan's order) while its state dict has
/// exactly torchvision's nested names.
/// </summary>
internal sealed class ModuleTree
{
    private readonly Action<string, nn.Module> _registerOnRoot;
    private readonly Dictionary<string, ModuleGroup> _groups = new(StringComparer.Ordinal);

    public ModuleTree(Action<string, nn.Module> registerOnRoot)
    {
        _registerOnRoot = registerOnRoot;
    }

    public T Add<T>(string path, T module) where T : nn.Module
    {
        int dot = path.LastIndexOf('.');
        if (dot < 0) _registerOnRoot(path, module);
        else Group(path[..dot]).Add(path[(dot + 1)..], module);
        return module;
    }

    private ModuleGroup Group(string path)
    {
        if (_groups.TryGetValue(path, out var group)) return group;
        group = Add(path, new ModuleGroup(path));
        _groups[path] = group;
        return group;
    }

    /// <summary>A container with no computation of its own (torchvision's Sequential/ModuleDict levels).</summary>
    private sealed class ModuleGroup(string name) : nn.Module(name)
    {
        public void Add(string child, nn.Module module) => register_module(child, module);
    }
}
