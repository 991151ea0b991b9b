using OpenCvSharp;

namespace EdgeVision.Inference.Tests;

/// <summary>Deterministic test frames.</summary>
public static class TestImages
{
    /// <summary>Random BGR noise, so every pixel (edges included) matters.</summary>
    public static Mat Noise(int width, int height, int seed, MatType? type = null)
    {
        var m = new Mat(height, width, type ?? MatType.CV_8UC3);
        var bytes = new byte[m.Total() * m.ElemSize()];
        new Random(seed).NextBytes(bytes);
        System.Runtime.InteropServices.Marshal.Copy(bytes, 0, m.Data, bytes.Length);
        return m;
    }

    /// <summary>A frame whose left and right quarters are pure red and the middle pure blue.</summary>
    public static Mat Bands(int width, int height)
    {
        var m = new Mat(height, width, MatType.CV_8UC3, new Scalar(255, 0, 0));
        m[new Rect(0, 0, width / 4, height)].SetTo(new Scalar(0, 0, 255));
        m[new Rect(width - width / 4, 0, width / 4, height)].SetTo(new Scalar(0, 0, 255));
        return m;
    }

    public static byte[] Bytes(Mat m)
    {
        using var c = m.IsContinuous() ? m.Clone() : m.Clone();
        var b = new byte[c.Total() * c.ElemSize()];
        System.Runtime.InteropServices.Marshal.Copy(c.Data, b, 0, b.Length);
        return b;
    }
}
