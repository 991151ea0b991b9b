using OpenCvSharp;
using OpenCvSharp.Internal;

namespace EdgeVision.Overlay;

/// <summary>
/// A frame as OpenCV's drawing functions take it (a native <c>_InputOutputArray</c> over the Mat), made once per
/// HUD draw and used for every text row: the managed PutText overloads build a new wrapper per call.
/// </summary>
internal sealed class TextTarget(Mat frame) : IDisposable
{
    private readonly InputOutputArray _array = frame;

    public Mat Frame { get; } = frame;

    /// <summary>Anti-aliased text with its baseline at <paramref name="origin"/>.</summary>
    public void PutText(string text, Point origin, HersheyFonts font, double scale, Scalar colour, int thickness)
    {
        NativeMethods.HandleException(NativeMethods.imgproc_putText(
            _array.CvPtr, text, origin, (int)font, scale, colour, thickness, (int)LineTypes.AntiAlias, 0));
        GC.KeepAlive(Frame);
    }

    public void Dispose() => _array.Dispose();
}
