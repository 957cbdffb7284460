using Latent.Autodiff;
using Latent.Models;
using Latent.Tensors;

namespace Latent.Tests.Models;

public class VariationalLossTests
{
    [Fact]
    public void KlTermEqualsTheClosedForm()
    {
        var model = new Autoencoder(ModelTestData.Small("vae", o => o with { Seed = 5 }));
        var batch = ModelTestData.Rows(ModelTestData.Digits, 0, 64);
        using var tape = new Tape();
        var terms = model.Loss(tape, batch, new Rng(1)).Terms;
        tape.Reset();

        (Var mean, Var logVariance) = ((GaussianBottleneck)model.Bottleneck).Posterior(model.Encoder.Forward(tape.Input(batch)));
        double expected = 0;
        for (int i = 0; i < mean.Value.Length; i++)
        {
            double mu = mean.Value[i], lv = logVariance.Value[i];
            expected += 0.5 * ((mu * mu) + Math.Exp(lv) - 1 - lv);
        }

        expected /= batch.Rows;
        Assert.True(expected > 1e-3, "the posterior should differ from the prior");
        Assert.Equal(expected, terms.Kl, 4);
    }

    [Fact]
    public void ImportanceWeightedBoundWithOneSampleIsTheElboAndRisesWithK()
    {
        var model = new Autoencoder(ModelTestData.Small("vae"));
        var data = ModelTestData.Digits;
        ModelTestData.Train(model, data, epochs: 5);
        model.Eval();
        var batch = ModelTestData.Rows(data, 0, 100);
        using var tape = new Tape { GradEnabled = false };

        double Average(Func<Rng, double> loss, int repeats)
        {
            var rng = new Rng(7);
            double sum = 0;
            for (int r = 0; r < repeats; r++)
            {
                sum += loss(rng);
                tape.Reset();
            }

            return sum / repeats;
        }

        // E[−log w] for one sample is the negative ELBO; the ELBO with the analytic KL has the same mean.
        double iwae1 = Average(rng => model.ImportanceWeightedLoss(tape, batch, 1, rng).Terms.Total, 200);
        double elbo = Average(rng => model.Loss(tape, batch, rng).Terms.Total, 200);
        Assert.True(Math.Abs(iwae1 - elbo) < 0.05, $"IWAE k=1 {iwae1:F4} vs ELBO {elbo:F4}");

        // With one fixed draw the single-sample bound is exactly reconstruction + (log q − log p).
        var single = model.ImportanceWeightedLoss(tape, batch, 1, new Rng(3)).Terms;
        Assert.Equal(single.Reconstruction + single.Kl, single.Total, 3);
        tape.Reset();

        double iwae5 = Average(rng => model.ImportanceWeightedLoss(tape, batch, 5, rng).Terms.Total, 40);
        double iwae50 = Average(rng => model.ImportanceWeightedLoss(tape, batch, 50, rng).Terms.Total, 10);
        Assert.True(iwae5 < iwae1 - 0.05, $"k=5 {iwae5:F4} should bound more tightly than k=1 {iwae1:F4}");
        Assert.True(iwae50 < iwae5 - 0.02, $"k=50 {iwae50:F4} should bound more tightly than k=5 {iwae5:F4}");
    }
}
