/* gradlab.h — every derivation module of gradlab, in one include. */
#ifndef GRADLAB_H
#define GRADLAB_H

#include "rng.h"
#include "softmax.h"
#include "sigmoid.h"
#include "cross_entropy.h"
#include "net2.h"
#include "relu.h"
#include "activation.h"
#include "word2vec.h"
#include "negsamp.h"
#include "hsoftmax.h"
#include "corpus.h"
#include "flow.h"
#include "realnvp.h"

#define GRADLAB_VERSION "0.1.0"

#endif
