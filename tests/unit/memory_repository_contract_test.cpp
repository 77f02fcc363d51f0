// The repository contract, run against the public in-memory fake.
#include "contentgen/testing/memory_article_repository.hpp"
#include "contract/article_repository_contract.hpp"

namespace {

using contentgen::contract::ArticleRepositoryContract;
using contentgen::contract::RepositoryFactory;

INSTANTIATE_TEST_SUITE_P(Memory, ArticleRepositoryContract,
                         ::testing::Values(RepositoryFactory{
                             "memory", [] { return std::make_shared<contentgen::fakes::MemoryArticleRepository>(); }}),
                         contentgen::contract::factory_name);

}  // namespace
