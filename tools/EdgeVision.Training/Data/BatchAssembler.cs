using EdgeVision.Data;

namespace EdgeVision.Training.Data;

/// <summary>
/// Copies the images of one batch into a reused uint8 [B, H, W, C] buffer, applying crop, flip and
/// erasing row by row (block copies, no per-pixel arithmetic except the flip). Every random decision
/// comes from the <see cref="Random"/> passed in, so a seed reproduces a batch exactly.
/// </summary>
public sealed class BatchAssembler
{
    private readonly ImageDataset _data;
    private readonly AugmentationOptions _options;
    private readonly byte[] _buffer;

    public BatchAssembler(ImageDataset data, int maxBatch, AugmentationOptions options)
    {
        options.Validate();
        if (maxBatch < 1) throw new ArgumentException($"batch size must be positive, not {maxBatch}");
        _data = data;
        _options = options;
        _buffer = new byte[maxBatch * data.ImageBytes];
    }

    /// <summary>Fills the buffer with <paramref name="indices"/>; returns it (valid until the next call) and the labels.</summary>
    public ReadOnlyMemory<byte> Assemble(ReadOnlySpan<int> indices, Span<long> labels, Random random)
    {
        int n = indices.Length;
        int size = _data.ImageBytes;
        if (n * size > _buffer.Length) throw new ArgumentException($"{n} images exceed the batch buffer");
        for (int i = 0; i < n; i++)
        {
            int index = indices[i];
            labels[i] = _data.Labels[index];
            var target = _buffer.AsSpan(i * size, size);
            var source = _data.Image(index);
            if (_options.CropPadding > 0) RandomCrop(source, target, random);
            else source.CopyTo(target);
            if (_options.HorizontalFlip && random.Next(2) == 1) FlipHorizontal(target);
            if (_options.ErasingProbability > 0 && random.NextDouble() < _options.ErasingProbability) Erase(target, random);
        }
        return _buffer.AsMemory(0, n * size);
    }

    // Equivalent to zero padding then cropping at a random offset: copy the overlapping rectangle, zero the rest.
    private void RandomCrop(ReadOnlySpan<byte> source, Span<byte> target, Random random)
    {
        int pad = _options.CropPadding, h = _data.Height, w = _data.Width, c = _data.Channels;
        int dy = random.Next(-pad, pad + 1), dx = random.Next(-pad, pad + 1);
        target.Clear();
        int x0 = Math.Max(0, -dx), x1 = Math.Min(w, w - dx);
        if (x1 <= x0) return;
        int rowBytes = (x1 - x0) * c;
        for (int y = 0; y < h; y++)
        {
            int sy = y + dy;
            if ((uint)sy >= (uint)h) continue;
            source.Slice((sy * w + x0 + dx) * c, rowBytes).CopyTo(target.Slice((y * w + x0) * c, rowBytes));
        }
    }

    private void FlipHorizontal(Span<byte> image)
    {
        int h = _data.Height, w = _data.Width, c = _data.Channels;
        for (int y = 0; y < h; y++)
        {
            var row = image.Slice(y * w * c, w * c);
            if (c == 1)
            {
                row.Reverse();
                continue;
            }
            for (int l = 0, r = w - 1; l < r; l++, r--)
            {
                for (int k = 0; k < c; k++) (row[l * c + k], row[r * c + k]) = (row[r * c + k], row[l * c + k]);
            }
        }
    }

    // Zhong et al. 2017 defaults: area 2–40 % of the image, aspect ratio 0.3–3.3, random pixel values.
    private void Erase(Span<byte> image, Random random)
    {
        int h = _data.Height, w = _data.Width, c = _data.Channels;
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double area = h * w * (0.02 + random.NextDouble() * 0.38);
            double logRatio = Math.Log(0.3) + random.NextDouble() * (Math.Log(1 / 0.3) - Math.Log(0.3));
            double ratio = Math.Exp(logRatio);
            int eh = (int)Math.Round(Math.Sqrt(area * ratio)), ew = (int)Math.Round(Math.Sqrt(area / ratio));
            if (eh < 1 || ew < 1 || eh >= h || ew >= w) continue;
            int y0 = random.Next(h - eh + 1), x0 = random.Next(w - ew + 1);
            for (int y = y0; y < y0 + eh; y++) random.NextBytes(image.Slice((y * w + x0) * c, ew * c));
            return;
        }
    }
}
