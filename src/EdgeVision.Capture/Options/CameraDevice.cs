namespace EdgeVision.Capture;

/// <summary>Parses a camera reference: "0" or "/dev/video0" both mean V4L2 index 0.</summary>
public static class CameraDevice
{
    public static bool TryParse(string? device, out int index)
    {
        index = -1;
        if (string.IsNullOrWhiteSpace(device)) return false;
        string d = device.Trim();
        const string node = "/dev/video";
        if (d.StartsWith(node, StringComparison.Ordinal)) d = d[node.Length..];
        return int.TryParse(d, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out index)
            && index is >= 0 and < 1024;
    }
}
