# The cross-entropy explainer as a container: docker build -t ce-explainer .
#                                            docker run -p 8501:8501 ce-explainer
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A user without privileges owns nothing but its home: the app only reads its files.
RUN useradd --create-home --uid 10001 explainer
WORKDIR /app

# Dependencies first, in their own layer: a change to the code does not reinstall them.
# cloud/requirements.txt takes torch's CPU build from PyTorch's index (PyPI's Linux torch
# is a multi-GB CUDA build); tests/test_deploy.py checks it matches requirements.txt.
COPY cloud/requirements.txt requirements.txt
RUN pip install --no-cache-dir -r requirements.txt

COPY --chown=10001:10001 . .
USER 10001

EXPOSE 8501
# No curl in a slim image: Python asks the health endpoint itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"]
ENTRYPOINT ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
