using OpenCvSharp;

namespace EdgeVision.Training.Tests.Transfer;

/// <summary>Images for the transfer tests: Fashion-MNIST test images stretched to the backbone's size (grey, as the benchmark feeds them) and BGR noise.</summary>
internal static class TransferImages
{
    /// <summary>uint8 [count, size, size, 3] BGR: Fashion-MNIST test images 0.. (B = G = R), every third one replaced by colour noise.</summary>
    public static byte[] Batch(int count, int size, int seed)
    {
        var fashion = TestData.FashionSlice(0, count);
        var random = new Random(seed);
        var result = new byte[count * size * size * 3];
        using var resized = new Mat();
        using var bgr = new Mat();
        for (int i = 0; i < count; i++)
        {
            var target = result.AsSpan(i * size * size * 3, size * size * 3);
            if (i % 3 == 2)
            {
                random.NextBytes(target);
                continue;
            }
            using var image = fashion.Read(i);
            Cv2.Resize(image, resized, new Size(size, size), interpolation: InterpolationFlags.Linear);
            Cv2.CvtColor(resized, bgr, ColorConversionCodes.GRAY2BGR);
            System.Runtime.InteropServices.Marshal.Copy(bgr.Data, result, i * size * size * 3, size * size * 3);
        }
        return result;
    }
}
