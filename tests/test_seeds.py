"""Layer 3: the seeds' printed tables, reproduced to 2e-4 (they print 4 digits)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

import ce_core

ATOL = 2e-4


def close(actual, printed):
    torch.testing.assert_close(
        actual.double(), torch.tensor(printed, dtype=torch.float64), atol=ATOL, rtol=0
    )


def three_vs_seven():
    return ce_core.PRESETS["3-vs-7"].tensors()


def test_seed_001_softmax_table():
    acts, _ = three_vs_seven()
    sm_acts = ce_core.softmax(acts)
    close(sm_acts, [[0.7795, 0.2205], [0.8902, 0.1098], [0.1517, 0.8483],
                    [0.5245, 0.4755], [0.9956, 0.0044], [0.8464, 0.1536]])  # fmt: skip


def test_seed_001_two_class_softmax_is_sigmoid_of_the_difference():
    acts, _ = three_vs_seven()
    close(ce_core.softmax(acts)[:, 0], (acts[:, 0] - acts[:, 1]).sigmoid().tolist())


def test_seed_001_picked_probabilities_and_the_table():
    acts, targ = three_vs_seven()
    idx = range(6)
    sm_acts = ce_core.softmax(acts)
    close(sm_acts[idx, targ], [0.7795, 0.1098, 0.1517, 0.4755, 0.0044, 0.8464])
    # the 6-digit table: 3, 7, targ, idx, loss
    table = [
        (0.779514, 0.220486, 0, 0, 0.779514),
        (0.890204, 0.109796, 1, 1, 0.109796),
        (0.151727, 0.848273, 0, 2, 0.151727),
        (0.524483, 0.475517, 1, 3, 0.475517),
        (0.995573, 0.004427, 1, 4, 0.004427),
        (0.846414, 0.153586, 0, 5, 0.846414),
    ]
    stages = ce_core.explain(acts, targ, device="cpu")
    close(stages.probs, [row[:2] for row in table])
    assert stages.target.tolist() == [row[2] for row in table]
    close(stages.target_prob, [row[4] for row in table])


def test_seed_001_nll_loss_takes_no_log():
    acts, targ = three_vs_seven()
    sm_acts = ce_core.softmax(acts)
    close(
        ce_core.nll_loss(sm_acts, targ, reduction="none"),
        [-0.7795, -0.1098, -0.1517, -0.4755, -0.0044, -0.8464],
    )


def test_seed_002_log_softmax_and_losses():
    acts, targ = three_vs_seven()
    log_table = [
        [-2.4908e-01, -1.5119e00],
        [-1.1630e-01, -2.2091e00],
        [-1.8857e00, -1.6455e-01],
        [-6.4534e-01, -7.4335e-01],
        [-4.4366e-03, -5.4201e00],
        [-1.6675e-01, -1.8735e00],
    ]
    close(torch.log(ce_core.softmax(acts)), log_table)
    sfm = ce_core.log_softmax(acts)
    close(sfm, log_table)
    losses = [0.2491, 2.2091, 1.8857, 0.7434, 5.4201, 0.1667]
    close(ce_core.nll_loss(sfm, targ, reduction="none"), losses)
    close(ce_core.cross_entropy(acts, targ, reduction="none"), losses)


def test_seed_002_mean_is_1_7790_every_route():
    acts, targ = three_vs_seven()
    for loss in (
        ce_core.cross_entropy(acts, targ),
        ce_core.nll_loss(ce_core.log_softmax(acts), targ),
        ce_core.nll_loss(torch.log(ce_core.softmax(acts)), targ),
        ce_core.explain(acts, targ, device="cpu").loss,
        torch.nn.CrossEntropyLoss()(acts, targ),
        F.cross_entropy(acts, targ),
    ):
        close(loss, 1.7790)


def test_seed_004_three_class_table():
    acts, targ = ce_core.PRESETS["three-classes"].tensors()
    assert targ.tolist() == [0, 1, 0, 2, 2, 0]
    stages = ce_core.explain(acts, targ, device="cpu")
    close(stages.probs, [[0.7028, 0.2917, 0.0055], [0.2137, 0.0195, 0.7668],
                         [0.1385, 0.8046, 0.0569], [0.0140, 0.1876, 0.7984],
                         [0.2711, 0.4684, 0.2605], [0.8492, 0.0819, 0.0689]])  # fmt: skip
    close(stages.target_prob, [0.7028, 0.0195, 0.1385, 0.7984, 0.2605, 0.8492])
    close(stages.losses, [0.3527, 3.9384, 1.9770, 0.2251, 1.3451, 0.1635])
    close(-torch.log(stages.target_prob), [0.3527, 3.9384, 1.9770, 0.2251, 1.3451, 0.1635])


def test_seed_003_cat_vs_dog_spreadsheet_uses_log10():
    p = ce_core.PRESETS["cat-vs-dog"]
    stages = ce_core.explain(p.logits, p.targets, class_names=p.class_names, device="cpu")
    close(stages.probs, [[0.5, 0.5], [0.98, 0.02], [0.9, 0.1]])
    # the spreadsheet's 0.3 / 0.01 / 1.0 are -log10(p) ...
    spreadsheet = -torch.log10(stages.target_prob)
    torch.testing.assert_close(spreadsheet, torch.tensor([0.3, 0.01, 1.0]), atol=6e-3, rtol=0)
    # ... and PyTorch's natural log gives ln(10) times as much
    close(stages.losses, (spreadsheet * torch.log(torch.tensor(10.0))).tolist())


def test_seed_003_five_classes_exp_sum_is_12_14():
    p = ce_core.PRESETS["five-classes"]
    acts, _ = p.tensors()
    assert p.class_names == ("cat", "dog", "plane", "fish", "building")
    torch.testing.assert_close(acts.exp().sum(), torch.tensor(12.14), atol=5e-3, rtol=0)
    sm = ce_core.softmax(acts)
    assert (sm > 0).all() and (sm < 1).all()
    close(sm.sum(), 1.0)


def test_seed_000_one_pet_prediction():
    p = ce_core.PRESETS["pet-breed"]
    acts, targ = p.tensors()
    assert acts.shape == (1, 37) and targ.tolist() == [7]
    sm = ce_core.softmax(acts)
    close(sm.sum(), 1.0)
    close(sm[0, 7], 0.99975)
    assert p.class_names[7] == "Persian"


def test_seed_000_random_batch_has_the_printed_targets():
    p = ce_core.PRESETS["pet-batch"]
    assert p.shape == (64, 37)
    assert p.targets[:10] == (7, 1, 0, 14, 19, 9, 2, 35, 12, 0)
    assert p.targets[-3:] == (21, 3, 12) and max(p.targets) == 36
    again = ce_core.presets.random_batch(64, 37)
    close(torch.tensor(p.logits), again.tolist())  # seeded: the same every time
