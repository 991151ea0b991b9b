using EdgeVision.Inference;
using OpenCvSharp;

namespace EdgeVision.Teaching.Tests;

public sealed class TeacherTests
{
    [Fact]
    public void A_taught_model_loads_as_a_contract_model_and_recognises_new_images_of_each_label()
    {
        using var dir = new TempDir();
        CaptureImages.WriteDataset(dir["data"], perLabel: 8);
        var result = TeachingFixture.Teacher().Teach(new TeachRequest { DatasetRoot = dir["data"], OutputPath = dir["taught.onnx"] });

        Assert.Equal(CaptureImages.Labels.Order(StringComparer.Ordinal), result.Labels);
        Assert.Equal(24, result.FitImages + result.HoldOutImages);
        Assert.All(result.Labels, l => Assert.Equal(8, result.ImagesPerLabel[l]));
        Assert.Equal(1.0, result.HoldOutAccuracy);

        // The daemon's own loader accepts it, and it classifies images it never saw.
        using var classifier = Classifier.Load(dir["taught.onnx"], TeachingFixture.CpuOptions(batch: 3));
        Assert.Equal(result.FitImages, classifier.Metadata.TaughtFrom);
        Assert.Equal(1.0, classifier.Metadata.Top1);
        Assert.Equal("imagenet-resnet18", classifier.Metadata.Pretrained);
        for (int seed = 500; seed < 504; seed++)
        {
            for (int k = 0; k < 3; k++)
            {
                using var image = CaptureImages.Draw(classifier.Labels[k], seed);
                classifier.SetFrame(k, image);
            }
            var probabilities = classifier.Run(3);
            for (int k = 0; k < 3; k++)
            {
                var row = probabilities.Slice(k * 3, 3);
                Assert.True(row[k] > 0.5f, $"a new '{classifier.Labels[k]}' image scored {row[k]:F3} for its label");
            }
        }
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void A_second_run_embeds_only_new_captures_and_corrupt_ones_are_skipped_and_counted()
    {
        using var dir = new TempDir();
        CaptureImages.WriteDataset(dir["data"], perLabel: 6, labels: ["disc", "stripes"]);
        var teacher = TeachingFixture.Teacher();
        var request = new TeachRequest { DatasetRoot = dir["data"], OutputPath = dir["a.onnx"], CacheDirectory = dir["cache"] };
        var first = teacher.Teach(request);
        Assert.Equal(12, first.Embedded);
        Assert.Equal(0, first.Cached);

        CaptureImages.WriteDataset(dir["data"], perLabel: 1, labels: ["disc"], seed: 9);
        File.WriteAllBytes(Path.Combine(dir["data"], "train", "stripes", "broken.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        var progress = new List<TeachProgress>();
        var second = teacher.Teach(request with { OutputPath = dir["b.onnx"] }, progress.Add);
        Assert.Equal(1, second.Embedded);
        Assert.Equal(12, second.Cached);
        var skipped = Assert.Single(second.Skipped);
        Assert.EndsWith("broken.png", skipped.Path);
        Assert.Contains("not a decodable image", skipped.Reason);
        Assert.Equal(7, second.ImagesPerLabel["disc"]);
        Assert.Equal(6, second.ImagesPerLabel["stripes"]);
        Assert.Equal(1, progress.Last(p => p.Phase == TeachProgress.Embedding).Embedded);
        Assert.Equal(1, progress.Last().Skipped);
    }

    [Fact]
    public void Labels_can_be_chosen_and_an_unknown_one_is_named()
    {
        using var dir = new TempDir();
        CaptureImages.WriteDataset(dir["data"], perLabel: 5);
        var result = TeachingFixture.Teacher().Teach(new TeachRequest { DatasetRoot = dir["data"], Labels = ["checker", "disc"], OutputPath = dir["m.onnx"] });
        Assert.Equal(["checker", "disc"], result.Labels);

        var e = Assert.Throws<TeachingException>(() => TeachingFixture.Teacher().Teach(
            new TeachRequest { DatasetRoot = dir["data"], Labels = ["disc", "kettle"], OutputPath = dir["n.onnx"] }));
        Assert.Contains("'kettle'", e.Message);
        Assert.False(File.Exists(dir["n.onnx"]));
    }

    [Fact]
    public void Too_few_images_a_single_label_or_a_missing_root_are_refused_before_anything_is_written()
    {
        using var dir = new TempDir();
        var teacher = TeachingFixture.Teacher();

        var missing = Assert.Throws<TeachingException>(() => teacher.Teach(new TeachRequest { DatasetRoot = dir["nowhere"], OutputPath = dir["m.onnx"] }));
        Assert.Contains("does not exist", missing.Message);

        CaptureImages.WriteDataset(dir["one"], perLabel: 6, labels: ["disc"]);
        var single = Assert.Throws<TeachingException>(() => teacher.Teach(new TeachRequest { DatasetRoot = dir["one"], OutputPath = dir["m.onnx"] }));
        Assert.Contains("at least 2 labels", single.Message);
        Assert.Contains("'disc'", single.Message);

        CaptureImages.WriteDataset(dir["few"], perLabel: 6, labels: ["disc"]);
        CaptureImages.WriteDataset(dir["few"], perLabel: 4, labels: ["stripes"]);
        var few = Assert.Throws<TeachingException>(() => teacher.Teach(new TeachRequest { DatasetRoot = dir["few"], OutputPath = dir["m.onnx"] }));
        Assert.Contains("'stripes' has 4", few.Message);

        // Five files, but one is corrupt: four readable images are too few, and the message says why.
        CaptureImages.WriteDataset(dir["corrupt"], perLabel: 5, labels: ["disc", "stripes"]);
        File.WriteAllText(Path.Combine(dir["corrupt"], "train", "stripes", "00-000.png"), "not a png");
        var corrupt = Assert.Throws<TeachingException>(() => teacher.Teach(new TeachRequest { DatasetRoot = dir["corrupt"], OutputPath = dir["m.onnx"] }));
        Assert.Contains("'stripes' has 4", corrupt.Message);
        Assert.Contains("1 capture(s) were unreadable or corrupt", corrupt.Message);

        Assert.False(File.Exists(dir["m.onnx"]));
    }

    [Fact]
    public void A_disk_that_fills_while_the_model_is_written_leaves_no_file_and_says_so()
    {
        using var dir = new TempDir();
        CaptureImages.WriteDataset(dir["data"], perLabel: 5, labels: ["disc", "stripes"]);
        File.WriteAllText(dir["old.onnx"], "the previous model");
        var writer = new ModelFileWriter(path => new FullDiskStream(path, allowBytes: 1 << 20));
        var e = Assert.Throws<TeachingException>(() => TeachingFixture.Teacher(writer).Teach(
            new TeachRequest { DatasetRoot = dir["data"], OutputPath = dir["old.onnx"] }));
        Assert.Contains("No space left on device", e.Message);
        Assert.Contains("nothing was written", e.Message);
        Assert.Equal("the previous model", File.ReadAllText(dir["old.onnx"]));
        Assert.Equal([dir["old.onnx"]], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Cancelling_stops_the_run_and_writes_nothing()
    {
        using var dir = new TempDir();
        CaptureImages.WriteDataset(dir["data"], perLabel: 8);
        using var cts = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => TeachingFixture.Teacher().Teach(
            new TeachRequest { DatasetRoot = dir["data"], OutputPath = dir["m.onnx"] },
            p => { if (p.Phase == TeachProgress.Embedding && p.Embedded > 0) cts.Cancel(); },
            cts.Token));
        Assert.False(File.Exists(dir["m.onnx"]));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    /// <summary>A real file that refuses writes past a size, as ENOSPC does.</summary>
    private sealed class FullDiskStream(string path, long allowBytes) : FileStream(path, FileMode.CreateNew, FileAccess.Write)
    {
        private long _written;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Check(buffer.Length);
            base.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Check(count);
            base.Write(buffer, offset, count);
        }

        private void Check(int count)
        {
            _written += count;
            if (_written > allowBytes) throw new IOException("No space left on device");
        }
    }
}
