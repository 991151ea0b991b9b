using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeVision.Training.Checkpoints;

namespace EdgeVision.Training.Runs;

/// <summary>
/// The run a directory already holds, for commands that train into a fixed directory and continue there when started
/// again (experiment degradation, transfer-bench's scratch cells): its <c>last.ckpt</c>, after checking it was trained
/// with the options asked for now, so a changed recipe is never silently continued with the old one.
/// </summary>
public static class SavedRun
{
    /// <summary>The checkpoint in <paramref name="directory"/>'s last.ckpt; null when there is none.</summary>
    /// <exception cref="InvalidDataException">it was trained with other options; the message names each one that differs.</exception>
    public static Checkpoint? In(string directory, TrainingOptions options)
    {
        string last = Path.Combine(directory, Trainer.LastCheckpointName);
        if (!File.Exists(last)) return null;
        var saved = CheckpointFile.Load(last);
        if (saved.State.Options == options) return saved;
        throw new InvalidDataException(
            $"{directory} holds a run with other options than this one ({string.Join("; ", Differences(saved.State.Options, options))}); remove it or choose another --out");
    }

    // Option by option, as the checkpoint's JSON header spells them: "epochs 2 there, 3 here".
    private static IEnumerable<string> Differences(TrainingOptions there, TrainingOptions here)
    {
        var a = JsonSerializer.SerializeToNode(there, CheckpointFile.Json)!.AsObject();
        var b = JsonSerializer.SerializeToNode(here, CheckpointFile.Json)!.AsObject();
        foreach (var (key, value) in a)
        {
            var other = b[key];
            if (!JsonNode.DeepEquals(value, other))
                yield return $"{JsonNamingPolicy.KebabCaseLower.ConvertName(key)} {value?.ToJsonString()} there, {other?.ToJsonString()} here";
        }
    }
}
