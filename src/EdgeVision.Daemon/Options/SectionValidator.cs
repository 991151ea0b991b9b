using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.Options;

/// <summary>
/// Validates one options section so that every failure names its configuration key and allowed range
/// ("FrameLoop:MaxBatch = 0 is outside 1..64") instead of DataAnnotations' generic wording.
/// </summary>
public sealed class SectionValidator<T>(string section) : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var failures = new List<string>();
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<RangeAttribute>() is not { } range) continue;
            object? value = property.GetValue(options);
            if (!range.IsValid(value))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{section}:{property.Name} = {value} is outside {range.Minimum}..{range.Maximum}"));
            }
        }
        if (options is IValidatableObject validatable)
        {
            foreach (var result in validatable.Validate(new ValidationContext(options)))
            {
                string message = result.ErrorMessage ?? "invalid";
                failures.Add(message.StartsWith(section, StringComparison.Ordinal)
                    ? message
                    : $"{section}:{result.MemberNames.FirstOrDefault()}: {message}");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
