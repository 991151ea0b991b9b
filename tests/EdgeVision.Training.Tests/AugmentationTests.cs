using EdgeVision.Data;
using EdgeVision.Training.Data;

namespace EdgeVision.Training.Tests;

public class AugmentationTests
{
    private static readonly AugmentationOptions Full = new() { CropPadding = 3, HorizontalFlip = true, ErasingProbability = 0.5 };

    private static byte[] Batch(ImageDataset data, AugmentationOptions options, int seed)
    {
        var assembler = new BatchAssembler(data, 16, options);
        var labels = new long[16];
        return assembler.Assemble(Enumerable.Range(0, 16).ToArray(), labels, new Random(seed)).ToArray();
    }

    [Fact]
    public void Same_seed_gives_the_same_batch_and_another_seed_does_not()
    {
        var data = TestData.FashionSlice(0, 16);
        Assert.Equal(Batch(data, Full, 7), Batch(data, Full, 7));
        Assert.NotEqual(Batch(data, Full, 7), Batch(data, Full, 8));
    }

    [Fact]
    public void Without_augmentation_the_batch_is_the_images_unchanged()
    {
        var data = TestData.FashionSlice(0, 16);
        Assert.Equal(data.Pixels, Batch(data, AugmentationOptions.None, 1));
    }

    [Fact]
    public void Crop_shifts_content_and_fills_the_border_with_zeros()
    {
        // A white image: any shift shows up as zero rows or columns at the border, never as lost pixels inside.
        var white = new ImageDataset("white", Enumerable.Repeat((byte)255, 16 * 10 * 10).ToArray(), new int[16], 10, 10, 1, ["a", "b"]);
        byte[] batch = Batch(white, new AugmentationOptions { CropPadding = 2 }, 3);
        int shifted = 0;
        for (int i = 0; i < 16; i++)
        {
            var img = batch.AsSpan(i * 100, 100);
            int zeros = img.Count((byte)0);
            // Each zero region is whole rows and columns: 10·|dy| + 10·|dx| − |dx·dy| with |d| ≤ 2.
            Assert.Contains(zeros, new[] { 0, 10, 20, 19, 28, 36 });
            Assert.Equal(255, img[44]);
            if (zeros > 0) shifted++;
        }
        Assert.True(shifted > 8, $"only {shifted} of 16 images were shifted");
    }

    [Fact]
    public void Flip_mirrors_each_row()
    {
        var pixels = new byte[2 * 3 * 3];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)i;
        var data = new ImageDataset("ramp", pixels, [0, 1], 3, 3, 1, ["a", "b"]);
        var assembler = new BatchAssembler(data, 2, new AugmentationOptions { HorizontalFlip = true });
        var labels = new long[2];
        // Find a seed that flips the first image, then check it is exactly mirrored.
        for (int seed = 0; seed < 50; seed++)
        {
            var batch = assembler.Assemble([0], labels, new Random(seed)).ToArray();
            if (batch.SequenceEqual(pixels[..9])) continue;
            Assert.Equal(new byte[] { 2, 1, 0, 5, 4, 3, 8, 7, 6 }, batch);
            return;
        }
        Assert.Fail("no seed in 50 flipped the image");
    }
}
