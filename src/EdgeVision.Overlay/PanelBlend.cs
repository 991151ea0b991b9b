using OpenCvSharp;

namespace EdgeVision.Overlay;

/// <summary>
/// Semi-transparent panels, done cheaply: blends a colour into just the rectangle's pixels in place, in fixed
/// point, without an overlay Mat, an ROI header or any allocation (AddWeighted over the whole frame would cost a
/// full-frame pass per panel).
/// </summary>
public static class PanelBlend
{
    /// <summary>pixel = pixel·(1−opacity) + colour·opacity over <paramref name="rect"/> (clipped) of a CV_8UC3 image.</summary>
    public static unsafe void Fill(Mat image, Rect rect, Scalar colour, double opacity)
    {
        if (image.Type() != MatType.CV_8UC3) throw new ArgumentException($"expected a CV_8UC3 image, got {image.Type()}", nameof(image));
        rect &= new Rect(0, 0, image.Width, image.Height);
        if (rect.Width <= 0 || rect.Height <= 0 || opacity <= 0) return;
        int a = (int)Math.Round(Math.Clamp(opacity, 0, 1) * 256);
        int keep = 256 - a;
        int c0 = (int)colour.Val0 * a, c1 = (int)colour.Val1 * a, c2 = (int)colour.Val2 * a;
        byte* data = (byte*)image.Data;
        long step = image.Step();
        for (int y = rect.Y; y < rect.Bottom; y++)
        {
            byte* p = data + y * step + rect.X * 3;
            byte* end = p + rect.Width * 3;
            for (; p < end; p += 3)
            {
                p[0] = (byte)((p[0] * keep + c0) >> 8);
                p[1] = (byte)((p[1] * keep + c1) >> 8);
                p[2] = (byte)((p[2] * keep + c2) >> 8);
            }
        }
    }
}
