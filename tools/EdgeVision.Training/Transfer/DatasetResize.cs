using EdgeVision.Data;
using OpenCvSharp;

namespace EdgeVision.Training.Transfer;

/// <summary>
/// A decoded split stretched to the backbone's input with bilinear interpolation — what the daemon's frame fitter
/// does to a frame — keeping its channel count (grey stays one channel; <see cref="BackboneInput"/> replicates it).
/// </summary>
public static class DatasetResize
{
    public static ImageDataset Stretch(ImageDataset data, int size)
    {
        if (data.Height == size && data.Width == size) return data;
        int bytes = size * size * data.Channels;
        var pixels = new byte[(long)data.Count * bytes];
        using var resized = new Mat();
        for (int i = 0; i < data.Count; i++)
        {
            using var image = data.Read(i);
            Cv2.Resize(image, resized, new Size(size, size), 0, 0, InterpolationFlags.Linear);
            System.Runtime.InteropServices.Marshal.Copy(resized.Data, pixels, i * bytes, bytes);
        }
        return new ImageDataset(data.Name, pixels, data.Labels, size, size, data.Channels, data.Classes);
    }
}
