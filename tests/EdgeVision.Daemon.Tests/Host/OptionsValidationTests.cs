using EdgeVision.Daemon.Options;

namespace EdgeVision.Daemon.Tests.Host;

public sealed class OptionsValidationTests
{
    [Fact]
    public void An_out_of_range_value_is_reported_with_its_key_and_range()
    {
        var result = new SectionValidator<FrameLoopOptions>(FrameLoopOptions.SectionName)
            .Validate(null, new FrameLoopOptions { MaxBatch = 0, TopK = 11 });
        Assert.True(result.Failed);
        Assert.Contains("FrameLoop:MaxBatch = 0 is outside 1..64", result.Failures!);
        Assert.Contains("FrameLoop:TopK = 11 is outside 1..10", result.Failures!);
    }

    [Fact]
    public void A_batch_delay_longer_than_a_tick_is_rejected_naming_both_keys()
    {
        var result = new SectionValidator<FrameLoopOptions>(FrameLoopOptions.SectionName)
            .Validate(null, new FrameLoopOptions { TargetFps = 30, MaxBatchDelayMs = 50 });
        Assert.True(result.Failed);
        string failure = Assert.Single(result.Failures!);
        Assert.Contains("FrameLoop:MaxBatchDelayMs", failure);
        Assert.Contains("FrameLoop:TargetFps", failure);
    }

    [Fact]
    public void Defaults_are_valid()
    {
        Assert.True(new SectionValidator<FrameLoopOptions>("FrameLoop").Validate(null, new FrameLoopOptions()).Succeeded);
        Assert.True(new SectionValidator<ModelOptions>("Model").Validate(null, new ModelOptions()).Succeeded);
        Assert.True(new SectionValidator<OutputOptions>("Output").Validate(null, new OutputOptions()).Succeeded);
        Assert.True(new SectionValidator<WindowOptions>("Window").Validate(null, new WindowOptions()).Succeeded);
    }

    [Fact]
    public void The_daemon_refuses_to_start_on_a_bad_command_line_value_and_names_it()
    {
        using var scratch = new Scratch();
        using var daemon = DaemonProcess.Start(scratch.Path, ["--FrameLoop:MaxBatch=0", "--Model:Path=" + TestModels.Tiny(scratch.Path), "--Http:Port=0"]);
        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(60)), "the daemon did not exit");
        Assert.Equal(2, daemon.ExitCode);
        Assert.Contains("FrameLoop:MaxBatch = 0 is outside 1..64", daemon.Output);
    }

    [Fact]
    public void The_daemon_refuses_to_start_on_a_bad_environment_value_and_names_it()
    {
        using var scratch = new Scratch();
        using var daemon = DaemonProcess.Start(scratch.Path, ["--Model:Path=" + TestModels.Tiny(scratch.Path), "--Http:Port=0"],
            new Dictionary<string, string> { ["EDGEVISION__FrameLoop__JpegQuality"] = "5" });
        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(60)), "the daemon did not exit");
        Assert.Equal(2, daemon.ExitCode);
        Assert.Contains("FrameLoop:JpegQuality = 5 is outside 10..100", daemon.Output);
    }

    [Fact]
    public void A_missing_model_stops_start_up_naming_the_file()
    {
        using var scratch = new Scratch();
        string missing = scratch.File("nope.onnx");
        using var daemon = DaemonProcess.Start(scratch.Path, ["--Model:Path=" + missing, "--Http:Port=0", "--Capture:Sources:0:Kind=Demo"]);
        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(60)), "the daemon did not exit");
        Assert.Equal(3, daemon.ExitCode);
        Assert.Contains(missing, daemon.Output);
    }
}
