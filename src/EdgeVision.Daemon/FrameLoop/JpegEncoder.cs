using System.Runtime.InteropServices;
using OpenCvSharp;
using OpenCvSharp.Internal;
using OpenCvSharp.Internal.Vectors;

namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// Encodes one Mat to JPEG again and again without managed allocation: the native output vector, the
/// InputArray over the Mat and the managed copy of the bytes are created once (Cv2.ImEncode makes a new
/// array every call, tens of kilobytes per frame).
/// </summary>
public sealed class JpegEncoder : IDisposable
{
    private readonly Mat _image;
    private readonly InputArray _input;
    private readonly VectorOfByte _native = new();
    private readonly int[] _parameters;
    private byte[] _bytes = new byte[64 * 1024];

    /// <param name="image">The Mat this encoder always encodes (its pixels may change, the object may not).</param>
    public JpegEncoder(Mat image, int quality)
    {
        _image = image;
        _input = InputArray.Create(image);
        _parameters = [(int)ImwriteFlags.JpegQuality, quality];
    }

    public int Length { get; private set; }

    /// <summary>The last encoded JPEG; valid until the next <see cref="Encode"/>.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, Length);

    public ReadOnlySpan<byte> Encode()
    {
        if (_image.Empty()) throw new InvalidOperationException("cannot encode an empty frame");
        var status = NativeMethods.imgcodecs_imencode_vector(".jpg", _input.CvPtr, _native.CvPtr, _parameters, _parameters.Length, out int ok);
        GC.KeepAlive(_image);
        if (status != ExceptionStatus.NotOccurred || ok == 0) throw new InvalidOperationException($"JPEG encoding of a {_image.Width}x{_image.Height} {_image.Type()} frame failed");
        int size = _native.Size;
        if (size > _bytes.Length) _bytes = new byte[Math.Max(size, _bytes.Length * 2)];
        Marshal.Copy(_native.ElemPtr, _bytes, 0, size);
        Length = size;
        return Bytes;
    }

    public void Dispose()
    {
        _input.Dispose();
        _native.Dispose();
    }
}
