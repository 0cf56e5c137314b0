package org.neurite.layers;

/** Training or evaluation: switches dropout and batch norm. */
public enum Mode { TRAIN, EVAL }
