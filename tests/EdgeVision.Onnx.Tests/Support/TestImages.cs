using EdgeVision.Core.Model;

namespace EdgeVision.Onnx.Tests.Support;

/// <summary>uint8 BGR NHWC batches with the hard cases (all 0, all 255, extreme borders) and their normalized reference input.</summary>
internal static class TestImages
{
    /// <summary>Image i of the batch: 0 → all 0, 1 → all 255, 2 → uniform noise, 3 → noise with 0/255 borders, 4+ → salt and pepper.</summary>
    public static byte[] Batch(int count, int height, int width, int seed)
    {
        var random = new Random(seed);
        int perImage = height * width * 3;
        var data = new byte[count * perImage];
        for (int n = 0; n < count; n++)
        {
            var image = data.AsSpan(n * perImage, perImage);
            int kind = count == 1 ? 2 : n;
            switch (kind)
            {
                case 0: image.Clear(); break;
                case 1: image.Fill(255); break;
                case 2: random.NextBytes(image); break;
                case 3:
                    random.NextBytes(image);
                    for (int y = 0; y < height; y++)
                    {
                        for (int x = 0; x < width; x++)
                        {
                            if (y is 0 || x is 0 || y == height - 1 || x == width - 1)
                            {
                                for (int c = 0; c < 3; c++) image[(y * width + x) * 3 + c] = (byte)((x + y + c) % 2 == 0 ? 255 : 0);
                            }
                        }
                    }
                    break;
                default:
                    for (int i = 0; i < image.Length; i++) image[i] = random.Next(2) == 0 ? (byte)0 : (byte)255;
                    break;
            }
        }
        return data;
    }

    /// <summary>
    /// The torchvision-style network input for a BGR NHWC batch: channels in the network's order (RGB, BGR
    /// or one grey channel 0.299R + 0.587G + 0.114B), (x/255 − mean)/std, NCHW. Computed in double.
    /// </summary>
    public static float[] Normalize(byte[] bgr, int count, int height, int width, ColorMode color, IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        int channels = color == ColorMode.Grey ? 1 : 3;
        var result = new float[count * channels * height * width];
        for (int n = 0; n < count; n++)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    int p = ((n * height + y) * width + x) * 3;
                    double b = bgr[p], g = bgr[p + 1], r = bgr[p + 2];
                    for (int c = 0; c < channels; c++)
                    {
                        double v = color switch
                        {
                            ColorMode.Grey => 0.299 * r + 0.587 * g + 0.114 * b,
                            ColorMode.Rgb => c == 0 ? r : c == 1 ? g : b,
                            _ => c == 0 ? b : c == 1 ? g : r,
                        };
                        result[((n * channels + c) * height + y) * width + x] = (float)((v / 255.0 - mean[c]) / std[c]);
                    }
                }
            }
        }
        return result;
    }

    public static float MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"lengths differ: {a.Length} vs {b.Length}");
        float max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }
}
