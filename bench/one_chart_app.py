"""The baseline for bench_browser.py and bench_app.py: the same stack, one chart, one slider.

torch computes, Plotly draws one 64 x 37 heatmap, one slider moves it. The home page's
timings are reported as ratios to this page's, measured in the same run.
"""

import plotly.graph_objects as go
import streamlit as st
import torch

st.set_page_config(layout="wide")
sample = st.slider("Selected sample (idx)", 0, 63, 0, key="sample")
acts = torch.randn((64, 37), generator=torch.Generator().manual_seed(0)) * 2
probs = torch.softmax(acts, dim=1)
st.subheader(f"Sample {sample}, written out")
# The slider drives the chart, as on the home page: the selected row is framed.
frame = {"type": "rect", "x0": -0.5, "x1": 36.5, "y0": sample - 0.5, "y1": sample + 0.5}
figure = go.Figure(go.Heatmap(z=probs.numpy()), layout={"shapes": [frame], "height": 1300})
st.plotly_chart(figure, key="chart")
