using OpenCvSharp;

namespace EdgeVision.Data;

/// <summary>An image file that could not be used, and why (for the skip count every reader reports).</summary>
public sealed record SkippedImage(string Path, string Reason);

/// <summary>
/// Decodes one image file as 8-bit BGR, or says why it cannot: empty (OpenCV's decoder throws "Empty span" on a
/// zero-byte buffer, which used to stop training without a file name), not an image or truncated (the decoder
/// returns nothing), or a depth/channel layout the pipeline does not take (16-bit, float, two-channel). Every
/// reader of image folders — training, evaluation, calibration — goes through here, so they all skip the same files.
/// </summary>
public static class ImageFileDecoder
{
    /// <summary>The image as CV_8UC3 BGR (grey and BGRA converted), or null with <paramref name="reason"/> set.</summary>
    public static Mat? TryDecode(string path, out string reason)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = $"cannot be read ({e.Message})";
            return null;
        }
        if (bytes.Length == 0)
        {
            reason = "empty file (0 bytes)";
            return null;
        }
        Mat decoded;
        try
        {
            // AnyDepth | AnyColor keeps the file's depth (to refuse 16-bit and float) and, unlike Unchanged, applies EXIF orientation as ImRead(Color) does.
            decoded = Cv2.ImDecode(bytes, ImreadModes.AnyDepth | ImreadModes.AnyColor);
        }
        catch (Exception e) when (e is OpenCVException or ArgumentException)
        {
            reason = $"not a decodable image ({e.Message})";
            return null;
        }
        using (decoded)
        {
            if (decoded.Empty())
            {
                reason = $"not a decodable image or truncated ({bytes.Length} bytes)";
                return null;
            }
            if (decoded.Depth() != MatType.CV_8U || decoded.Channels() is not (1 or 3 or 4))
            {
                reason = $"unsupported pixel format: depth {DepthName(decoded.Depth())}, {decoded.Channels()} channels (8-bit grey, BGR or BGRA are read)";
                return null;
            }
            reason = "";
            var bgr = new Mat();
            switch (decoded.Channels())
            {
                case 1: Cv2.CvtColor(decoded, bgr, ColorConversionCodes.GRAY2BGR); break;
                case 4: Cv2.CvtColor(decoded, bgr, ColorConversionCodes.BGRA2BGR); break;
                default: decoded.CopyTo(bgr); break;
            }
            return bgr;
        }
    }

    private static string DepthName(int depth) => depth switch
    {
        MatType.CV_8U => "8U", MatType.CV_8S => "8S", MatType.CV_16U => "16U", MatType.CV_16S => "16S",
        MatType.CV_32S => "32S", MatType.CV_32F => "32F", MatType.CV_64F => "64F", _ => depth.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
