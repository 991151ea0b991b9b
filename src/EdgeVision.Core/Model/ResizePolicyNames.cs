namespace EdgeVision.Core.Model;

/// <summary>
/// The one spelling of <see cref="ResizePolicy"/> everywhere it is written as text: model metadata
/// (<see cref="MetadataKeys.Resize"/>) and the CLI's <c>--resize</c>.
/// </summary>
public static class ResizePolicyNames
{
    public const string Stretch = "stretch";
    public const string CenterCrop = "center_crop";

    /// <summary>"center_crop or stretch", for messages that name the accepted values.</summary>
    public const string Accepted = "center_crop or stretch";

    public static string Name(ResizePolicy policy) => policy == ResizePolicy.CenterCrop ? CenterCrop : Stretch;

    public static bool TryParse(string? text, out ResizePolicy policy)
    {
        (bool ok, policy) = text switch
        {
            Stretch => (true, ResizePolicy.Stretch),
            CenterCrop => (true, ResizePolicy.CenterCrop),
            _ => (false, ResizePolicy.Stretch),
        };
        return ok;
    }
}
