using System.Diagnostics;
using EdgeVision.Core.Architecture;
using EdgeVision.Training.Model;
using EdgeVision.Training.Tests.Transfer;

namespace EdgeVision.Training.Tests;

/// <summary>
/// The new families against Debian's torchvision itself: every state-dict tensor of torchvision's model, by name
/// and shape, is in the TorchSharp module and the other way round (so a torchvision .pth loads by name), and the
/// parameter counts are torchvision's.
/// </summary>
public class TorchvisionLayoutTests
{
    [PythonTorchFact]
    public void State_dicts_match_torchvision_name_for_name_and_shape_for_shape()
    {
        string[] names = ["densenet121", "densenet169", "regnet_x_400mf", "regnet_y_400mf"];
        var torchvision = TorchvisionStateDicts(names);
        foreach (string name in names)
        {
            var plan = NetworkZoo.Create(name, 3, 1000);
            using var network = ZooNetworks.Create(plan);
            var ours = NetworkWeights.Capture(network).ToDictionary(kv => kv.Key, kv => string.Join("x", kv.Value.Shape), StringComparer.Ordinal);
            var theirs = torchvision[name];
            Assert.Empty(theirs.Keys.Except(ours.Keys).Take(3));
            Assert.Empty(ours.Keys.Except(theirs.Keys).Take(3));
            foreach (var (key, shape) in theirs) Assert.True(shape == ours[key], $"{name} {key}: torchvision {shape}, ours {ours[key]}");
            long torchvisionCount = theirs.Where(kv => !kv.Key.EndsWith(".running_mean", StringComparison.Ordinal) && !kv.Key.EndsWith(".running_var", StringComparison.Ordinal))
                .Sum(kv => kv.Value.Split('x').Aggregate(1L, (a, d) => a * long.Parse(d, System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(torchvisionCount, plan.ParameterCount);
        }
    }

    // name → tensor name → "d0xd1x…" (scalars print as an empty shape), num_batches_tracked left out as NetworkWeights does.
    private static Dictionary<string, Dictionary<string, string>> TorchvisionStateDicts(string[] names)
    {
        const string script = """
            import sys, torchvision
            for n in sys.argv[1:]:
                m = getattr(torchvision.models, n)(weights=None)
                for k, v in m.state_dict().items():
                    if not k.endswith('num_batches_tracked'):
                        print(n, k, 'x'.join(str(d) for d in v.shape))
            """;
        var start = new ProcessStartInfo(PythonTorchFactAttribute.Python, ["-c", script, .. names]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        var result = names.ToDictionary(n => n, _ => new Dictionary<string, string>(StringComparer.Ordinal));
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(' ');
            result[parts[0]][parts[1]] = parts[2];
        }
        return result;
    }
}
